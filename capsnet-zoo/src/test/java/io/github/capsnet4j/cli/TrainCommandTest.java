package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxImages;
import io.github.capsnet4j.data.IdxLabels;
import io.github.capsnet4j.data.IdxWriter;
import io.github.capsnet4j.data.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code train} refuses what cannot work, before training, as one message with exit code 2 (no stack trace,
 * no usage text): an empty training set, test images of another size, an output folder it cannot write, a
 * setting changed on {@code --resume}, a {@code --resume} without checkpoint, a bad option value.
 */
class TrainCommandTest {

    @TempDir
    static Path dir;
    /** 24 training-file images (22 train, 2 validation) and 4 test images, 28x28. */
    private static Path data;

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void writeData() throws IOException {
        data = idxDirectory("data", 24, 28, 4, 28);
    }

    /** IDX files with random pixels: {@code trainCount} training images and {@code testCount} test images. */
    private static Path idxDirectory(String name, int trainCount, int trainSide, int testCount, int testSide) throws IOException {
        Path directory = Files.createDirectories(dir.resolve(name));
        write(directory, Split.TRAIN, trainCount, trainSide);
        write(directory, Split.TEST, testCount, testSide);
        return directory;
    }

    private static void write(Path directory, Split split, int count, int side) throws IOException {
        byte[] pixels = new byte[count * side * side];
        new Random(count).nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        IdxWriter.writeImages(directory.resolve(split.imagesFileName()), new IdxImages(count, side, side, pixels));
        IdxWriter.writeLabels(directory.resolve(split.labelsFileName()), new IdxLabels(labels));
    }

    private int run(String... args) {
        return cli.run(args);
    }

    /** Exit code 2, the message holds every fragment, and nothing else is printed: no stack trace, no usage. */
    private void assertUserError(int code, String... fragments) {
        String printed = cli.err();
        assertEquals(2, code, printed);
        for (String fragment : fragments) {
            assertTrue(printed.contains(fragment), "'" + fragment + "' in: " + printed);
        }
        assertTrue(printed.startsWith("Error: ") && printed.contains("Fix:"), printed);
        assertFalse(printed.contains("\tat ") || printed.contains("Exception"), "no stack trace: " + printed);
        assertFalse(printed.contains("Usage:"), "no usage text: " + printed);
    }

    @Test
    void anEmptyTrainingSetIsRefused() throws IOException {
        Path empty = idxDirectory("empty", 0, 28, 4, 28);
        Path output = dir.resolve("run-empty");
        assertUserError(run("train", "--data-dir", empty.toString(), "--output", output.toString(), "--epochs", "1"),
                "train-images-idx3-ubyte", "0 examples");
        assertFalse(Files.exists(output.resolve("model.zip")), "no untrained model.zip");
    }

    @Test
    void testImagesOfAnotherSizeAreRefusedBeforeTraining() throws IOException {
        Path mixed = idxDirectory("mixed", 24, 28, 4, 14);
        Path output = dir.resolve("run-mixed");
        assertUserError(run("train", "--data-dir", mixed.toString(), "--output", output.toString(), "--epochs", "1", "--batch-size", "8"),
                "test images are 14x14 pixels but the training images 28x28");
        assertFalse(Files.exists(output.resolve("checkpoint.zip")), "refused before the first step");
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "in the way");
        assertUserError(run("train", "--data-dir", data.toString(), "--output", file.resolve("run").toString(), "--epochs", "1"),
                "Cannot write into the run folder", "a-file");
    }

    @Test
    void aReadOnlyOutputFolderIsRefused() throws Exception {
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        protect(readOnly, true);
        try {
            assumeFalse(canWrite(readOnly), "no way to make a folder read-only here (root without chattr)");
            assertUserError(run("train", "--data-dir", data.toString(), "--output", readOnly.toString(), "--epochs", "1"),
                    "Cannot write into the run folder", "read-only");
        } finally {
            protect(readOnly, false);
        }
    }

    /** Makes a folder read-only, or writable again: chmod, or for root (whom chmod does not stop) chattr's immutable flag. */
    private static void protect(Path folder, boolean readOnly) throws Exception {
        folder.toFile().setWritable(!readOnly);
        if ("root".equals(System.getProperty("user.name"))) {
            new ProcessBuilder("chattr", readOnly ? "+i" : "-i", folder.toString()).redirectErrorStream(true).start().waitFor();
        }
    }

    private static boolean canWrite(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aSettingChangedOnResumeIsRefused() {
        Path output = dir.resolve("run-resume");
        assertEquals(0, run("train", "--data-dir", data.toString(), "--output", output.toString(), "--epochs", "1", "--batch-size", "8"),
                cli.err());
        String[] resume = {"train", "--data-dir", data.toString(), "--output", output.toString(), "--epochs", "2", "--batch-size", "8",
                "--resume"};
        assertUserError(run(CliRun.concat(resume, "--routing-iterations", "2")), "routingIterations is 3 in the run but 2 now");
        assertUserError(run(CliRun.concat(resume, "--max-shift", "0")), "max shift is 2 in the run but 0 now");
        assertUserError(run(CliRun.concat(resume, "--no-decoder")), "vertices/decoder1 is present in the run but absent now");
        assertUserError(run(CliRun.concat(resume, "--seed", "5")), "seed is 1234 in the run but 5 now");
    }

    @Test
    void aTruncatedCheckpointIsRefused() throws IOException {
        Path output = dir.resolve("run-truncated");
        assertEquals(0, run("train", "--data-dir", data.toString(), "--output", output.toString(), "--epochs", "1", "--batch-size", "8"),
                cli.err());
        Path checkpoint = output.resolve("checkpoint.zip");
        byte[] whole = Files.readAllBytes(checkpoint);
        Files.write(checkpoint, Arrays.copyOf(whole, whole.length / 3));
        assertUserError(run("train", "--data-dir", data.toString(), "--output", output.toString(), "--epochs", "2", "--batch-size",
                "8", "--resume"), "checkpoint.zip cannot be used: it is truncated or damaged");
    }

    @Test
    void resumeWithoutACheckpointIsRefused() {
        assertUserError(run("train", "--data-dir", data.toString(), "--output", dir.resolve("rnu-typo").toString(), "--resume"),
                "no checkpoint", "rnu-typo");
    }

    @Test
    void aBadOptionValueIsOneMessage() {
        assertEquals(2, run("train", "--epochs", "0"));
        assertTrue(cli.err().startsWith("Error: --epochs must be at least 1, got 0"), cli.err());
        assertTrue(cli.err().contains("Run 'capsnet4j train --help' for the options."), cli.err());
        assertFalse(cli.err().contains("Usage:") || cli.err().contains("\tat "), cli.err());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path file = Files.writeString(dir.resolve("another-file"), "in the way");
        assertEquals(2, run("train", "--data-dir", data.toString(), "--output", file.resolve("run").toString(), "--verbose"));
        assertTrue(cli.err().contains("Cannot write into the run folder") && cli.err().contains("\tat "), cli.err());
    }

}
