package io.github.capsnet4j.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A training run's checkpoint: ONE file holding the network, its updater state (Adam's moments and step count)
 * and the {@link TrainingState}, written atomically ({@link AtomicFiles}), so the three can never disagree.
 *
 * <p>The file is a DL4J {@code ModelSerializer} zip with one more entry, {@value #STATE_ENTRY}: any DL4J tool
 * (and {@code capsnet4j evaluate --model}) reads it as a model, and {@code unzip -p checkpoint.zip
 * training-state.json} shows the run's state. Reading checks every entry's CRC-32 first, so a truncated or
 * damaged file is reported as such instead of failing deep inside DL4J.
 */
final class Checkpoint {

    static final String STATE_ENTRY = "training-state.json";
    /** The entries ModelSerializer writes for a network with updater state. */
    private static final List<String> MODEL_ENTRIES = List.of("configuration.json", "coefficients.bin", "updaterState.bin");
    /** The zip file system's own temporary file, which it writes beside the zip when adding an entry. */
    private static final String ZIP_FILE_SYSTEM_TEMPORARY = "zipfstmp*.tmp";

    /** A checkpoint read back: the network with its updater state, and the run's state. */
    static final class Contents {
        final ComputationGraph network;
        final TrainingState state;

        Contents(ComputationGraph network, TrainingState state) {
            this.network = network;
            this.state = state;
        }
    }

    private Checkpoint() {
    }

    /** Replaces {@code file} with {@code network} (with updater state) and {@code state}, atomically. */
    static void write(ComputationGraph network, TrainingState state, Path file) throws IOException {
        AtomicFiles.replace(file, temporary -> {
            ModelSerializer.writeModel(network, temporary.toFile(), true);
            try (FileSystem zip = FileSystems.newFileSystem(temporary, (ClassLoader) null)) {
                Files.write(zip.getPath(STATE_ENTRY), state.toJson());   // the zip file system keeps the other entries' bytes as they are
            }
        });
    }

    /** Deletes what a killed {@link #write} left in {@code folder}. */
    static void deleteLeftovers(Path folder, Path file) throws IOException {
        AtomicFiles.deleteLeftovers(folder, file.getFileName().toString());
        try (var files = Files.newDirectoryStream(folder, ZIP_FILE_SYSTEM_TEMPORARY)) {
            for (Path leftover : files) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /**
     * The training state in a checkpoint, after checking the whole file; {@code null} for a checkpoint of
     * capsnet4j 0.1, whose state was a separate file.
     *
     * @throws TrainingException if the file is missing, empty, truncated, damaged or incomplete, saying which
     */
    static TrainingState state(Path file) throws IOException {
        Entries entries = entries(file);
        if (entries.state == null) {
            return null;
        }
        TrainingState state;
        try {
            state = TrainingState.fromJson(entries.state);
        } catch (IOException e) {
            throw damaged(file, "its " + STATE_ENTRY + " cannot be read (" + firstLine(e) + ")", e);
        }
        if (state.format != TrainingState.FORMAT) {
            throw new TrainingException("The checkpoint " + file + " has training-state format " + state.format
                    + ", which this version of capsnet4j (format " + TrainingState.FORMAT + ") does not know",
                    "resume it with the capsnet4j version that wrote it");
        }
        return state;
    }

    /** The network and updater state of a checkpoint whose entries {@link #state} has checked. */
    static ComputationGraph network(Path file) throws IOException {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, "DL4J cannot restore the network from it (" + firstLine(e) + ")", e);
        }
    }

    /** What a check of every entry found. */
    private static final class Entries {
        final Set<String> names = new HashSet<>();
        byte[] state;
    }

    /**
     * Reads every entry to its end, which checks each one's CRC-32 and size, keeping the state's bytes.
     *
     * @throws TrainingException if the file is missing, empty, not a zip, truncated or damaged, or lacks
     *                                  one of the network's entries
     */
    private static Entries entries(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TrainingException("There is no checkpoint " + file, "check the --output folder: a run's"
                    + " checkpoint.zip is written in it before the first training step");
        }
        if (Files.size(file) == 0) {
            throw damaged(file, "it is empty", null);
        }
        Entries entries = new Entries();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.names.add(entry.getName());
                if (entry.getName().equals(STATE_ENTRY)) {
                    entries.state = zip.readAllBytes();
                } else {
                    zip.transferTo(OutputStream.nullOutputStream());   // reading to the end checks it
                }
            }
        } catch (EOFException | ZipException e) {
            throw damaged(file, "it is truncated or damaged (" + firstLine(e) + ")", e);
        }
        if (entries.names.isEmpty()) {
            throw damaged(file, "it is not a zip archive", null);
        }
        for (String name : MODEL_ENTRIES) {
            if (!entries.names.contains(name)) {
                throw damaged(file, "it lacks the entry " + name + " of a DL4J network with updater state", null);
            }
        }
        return entries;
    }

    private static TrainingException damaged(Path file, String problem, Throwable cause) {
        return new TrainingException("The checkpoint " + file + " cannot be used: " + problem,
                "restore it from a copy (e.g. an epochs/epoch-N.zip kept with --keep-epochs), or start a new run in"
                        + " another --output folder", cause);
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
