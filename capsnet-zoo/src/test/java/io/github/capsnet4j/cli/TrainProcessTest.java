package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.IdxImages;
import io.github.capsnet4j.data.IdxLabels;
import io.github.capsnet4j.data.IdxWriter;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.zoo.TinyCapsNet;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static io.github.capsnet4j.testing.Identical.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line in real processes: a second {@code train} on a held run folder is refused while the first
 * keeps its checkpoint; SIGTERM ends a run at a step boundary with a checkpoint there, {@code kill -9} loses no
 * more than the steps since the last checkpoint, and the resumed run ends bit-identical to an uninterrupted one;
 * {@code predict} on many large pictures needs the memory of one.
 */
class TrainProcessTest {

    /** Generous bounds for the waits below, so that a hung process fails the test instead of blocking the build. */
    private static final long PROCESS_MINUTES = 10;
    private static final Pattern PROGRESS = Pattern.compile("epoch 1/1 \\[[#.]+\\] (\\d+)/(\\d+)");

    @TempDir
    Path dir;
    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        children.forEach(child -> child.process.destroyForcibly());
    }

    @Test
    void aHeldFolderIsRefusedAndStopsAndKillsLoseNothing() throws Exception {
        Path data = digits();
        Path run = dir.resolve("run");
        String[] train = {"train", "--data-dir", data.toString(), "--epochs", "1", "--batch-size", "4"};

        Child first = start(CliRun.concat(train, "--output", run.toString(), "--seed", "1", "--checkpoint-minutes", "1000"));
        int stepsPerEpoch = first.awaitStep(step -> step >= 6);
        Child second = start(CliRun.concat(train, "--output", run.toString(), "--seed", "2"));
        assertEquals(2, second.waitForExit(), second.err());
        assertTrue(second.err().contains("is in use by another training run (process " + first.process.pid()), second.err());

        first.process.toHandle().destroy();                 // SIGTERM (Process.destroy() would also close the output pipes)
        assertEquals(CliErrors.STOPPED, first.waitForExit(), first.err());
        JsonNode stopped = state(run);
        long stoppedAt = stopped.path("progress").path("steps").asLong();
        assertTrue(stoppedAt >= 6 && stoppedAt < stepsPerEpoch, "stopped mid-epoch at a step boundary: " + stopped);
        assertEquals("1", stopped.path("settings").path("seed").asText(), "the first run's own checkpoint");
        train = CliRun.concat(train, "--seed", "1");
        assertTrue(first.err().contains("Training stopped after step " + stoppedAt + " of " + stepsPerEpoch), first.err());

        Child resumed = start(CliRun.concat(train, "--output", run.toString(), "--checkpoint-minutes", "0", "--resume"));
        resumed.awaitStep(step -> step >= stoppedAt + 2);
        resumed.process.toHandle().destroyForcibly();                                       // kill -9
        resumed.waitForExit();
        long killedAfter = state(run).path("progress").path("steps").asLong();
        assertTrue(killedAfter > stoppedAt, "checkpoints of every step survived the kill: " + killedAfter);

        Child finished = start(CliRun.concat(train, "--output", run.toString(), "--resume"));
        assertEquals(0, finished.waitForExit(), finished.err());
        Child straight = start(CliRun.concat(train, "--output", dir.resolve("straight").toString()));
        assertEquals(0, straight.waitForExit(), straight.err());
        assertIdentical(parameters(dir.resolve("straight")), parameters(run), "bit-identical to the uninterrupted run");
    }

    @Test
    void predictClassifiesManyLargePicturesInTheMemoryOfOne() throws Exception {
        Path model = TinyCapsNet.saved(dir, "tiny.zip", true);
        BufferedImage large = new BufferedImage(3000, 3000, BufferedImage.TYPE_INT_RGB);      // 36 MB decoded, a few KB as PNG
        Path picture = dir.resolve("large-0.png");
        ImageIO.write(large, "png", picture.toFile());
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString()));
        for (int i = 0; i < 20; i++) {
            Path copy = dir.resolve("large-" + i + ".png");
            if (i > 0) {
                Files.copy(picture, copy);
            }
            args.add(copy.toString());
        }
        Child predict = start(List.of("-Xmx300m"), args.toArray(new String[0]));             // 20 decoded pictures: 720 MB
        assertEquals(0, predict.waitForExit(), predict.err());
        assertEquals(20, predict.out().lines().filter(line -> line.contains(": class ")).count(), predict.out());
    }

    /** 120 official training digits (110 train / 10 validation: 28 steps of 4) and 8 test digits. */
    private Path digits() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        write(data, Split.TRAIN, MnistData.official(Split.TRAIN).head(120));
        write(data, Split.TEST, MnistData.official(Split.TEST).head(8));
        return data;
    }

    private static void write(Path directory, Split split, IdxDataset digits) throws IOException {
        byte[] labels = new byte[digits.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) digits.label(i);
        }
        IdxWriter.writeImages(directory.resolve(split.imagesFileName()), digits.images());
        IdxWriter.writeLabels(directory.resolve(split.labelsFileName()), new IdxLabels(labels));
    }

    /** The training state inside a run's checkpoint. */
    private static JsonNode state(Path run) throws IOException {
        try (ZipFile zip = new ZipFile(run.resolve("checkpoint.zip").toFile())) {
            return new ObjectMapper().readTree(zip.getInputStream(zip.getEntry("training-state.json")));
        }
    }

    private static INDArray parameters(Path run) throws IOException {
        return ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), false).params();
    }

    private Child start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** The command line in a new JVM with this test's classpath. */
    private Child start(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CapsNetCli.class.getName()));
        command.addAll(Arrays.asList(args));
        Child child = new Child(new ProcessBuilder(command).start());
        children.add(child);
        return child;
    }


    /** A child process whose output is collected as it comes. */
    private static final class Child {
        final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;

        Child(Process process) {
            this.process = process;
            outReader = collect(process.getInputStream(), out);
            errReader = collect(process.getErrorStream(), err);
        }

        private Thread collect(java.io.InputStream stream, StringBuffer into) {
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        synchronized (into) {
                            into.append(line).append('\n');
                            into.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        /** Waits until the progress bar shows a step that {@code reached} accepts; returns the steps per epoch. */
        int awaitStep(Predicate<Long> reached) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(PROCESS_MINUTES);
            synchronized (err) {
                while (System.nanoTime() < deadline && process.isAlive()) {
                    Matcher progress = PROGRESS.matcher(err);
                    while (progress.find()) {
                        if (reached.test(Long.parseLong(progress.group(1)))) {
                            return Integer.parseInt(progress.group(2));
                        }
                    }
                    err.wait(1000);
                }
            }
            throw new AssertionError("the run did not get that far: " + err);
        }

        int waitForExit() throws InterruptedException {
            if (!process.waitFor(PROCESS_MINUTES, TimeUnit.MINUTES)) {
                throw new AssertionError("still running after " + PROCESS_MINUTES + " minutes: " + err);
            }
            outReader.join();
            errReader.join();
            return process.exitValue();
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }
    }
}
