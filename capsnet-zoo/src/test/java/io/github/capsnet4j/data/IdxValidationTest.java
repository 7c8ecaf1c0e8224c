package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/** Every kind of broken input fails with a message that names the file, the problem and a fix. */
class IdxValidationTest {

    @TempDir
    Path dir;

    @Test
    void aLabelsFileReadAsImagesHasTheWrongMagicNumber() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        IdxWriter.writeLabels(labels, TestData.labels(3, 10));

        assertFailsWith(() -> IdxReader.readImages(labels),
                labels.toString(), "wrong magic number", "expected 0x00000803", "found 0x00000801", "Fix:");
    }

    @Test
    void aFileThatIsNotIdxAtAllHasTheWrongMagicNumber() throws IOException {
        Path html = Files.writeString(dir.resolve("t10k-images-idx3-ubyte"), "<!DOCTYPE html> not found");

        assertFailsWith(() -> IdxReader.readImages(html), "wrong magic number", "not an IDX file");
    }

    @Test
    void aTruncatedPlainFileSaysHowMuchIsMissing() throws IOException {
        Path file = dir.resolve("images");
        IdxWriter.writeImages(file, TestData.images(3, 28, 28));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 100));

        assertFailsWith(() -> IdxReader.readImages(file),
                file.toString(), "truncated", "3 images of 28 x 28 pixels (2352 bytes)", "only 2252 bytes", "Fix:");
    }

    @Test
    void aTruncatedGzipFileIsReportedAsTruncated() throws IOException {
        Path file = dir.resolve("labels.gz");
        byte[] randomLabels = new byte[5000];
        new Random(1).nextBytes(randomLabels); // incompressible, so that half the file is half the data
        IdxWriter.writeLabels(file, new IdxLabels(randomLabels));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        assertFailsWith(() -> IdxReader.readLabels(file), "truncated", "5000 labels");
    }

    @Test
    void aFileThatEndsInsideTheHeaderIsTruncated() throws IOException {
        Path file = Files.write(dir.resolve("labels"), new byte[] {0, 0, 8, 1, 0, 0});

        assertFailsWith(() -> IdxReader.readLabels(file), "truncated", "the dimension sizes", "only 2 bytes");
    }

    @Test
    void moreImagesThanLabelsIsACountMismatch() throws IOException {
        TestData.writeSplits(dir, ".gz", 4, 10);
        IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), TestData.labels(3, 10));

        assertFailsWith(() -> IdxDataset.load(dir, Split.TRAIN, 10),
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "count mismatch",
                "4 images but 3 labels", "Fix:");
    }

    @Test
    void aLabelBeyondTheLastClassIsRejected() throws IOException {
        TestData.writeSplits(dir, "", 4, 10);
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new IdxLabels(new byte[] {0, 1, 12, 3}));

        assertFailsWith(() -> IdxDataset.load(dir, Split.TEST, 10),
                "t10k-labels-idx1-ubyte", "label 12 of example 2 is outside 0..9", "number of classes");
    }

    @Test
    void aMissingFileNamesTheFilesADirectoryMustHold() throws IOException {
        TestData.writeSplits(dir, ".gz", 2, 10);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));

        assertFailsWith(() -> IdxDataset.load(dir, Split.TEST, 10),
                dir.toString(), "neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz",
                "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path absent = dir.resolve("no-such-dir");

        assertFailsWith(() -> IdxDataset.load(absent, Split.TRAIN, 10), absent.toString(), "no such directory");
    }

    @Test
    void aMissingSingleFileIsNamed() {
        Path absent = dir.resolve("train-images-idx3-ubyte.gz");

        assertFailsWith(() -> IdxReader.readImages(absent), absent.toString(), "no such file");
    }

    @Test
    void aGzipFileCutInsideItsHeaderIsReported() throws IOException {
        Path file = Files.write(dir.resolve("labels.gz"), new byte[] {0x1f, (byte) 0x8b, 8});

        assertFailsWith(() -> IdxReader.readLabels(file), file.toString(), "gzip header is truncated or corrupt");
    }

    @Test
    void corruptGzipDataIsReported() throws IOException {
        Path file = dir.resolve("images.gz");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, 0x13, 0x37});
        }

        assertFailsWith(() -> IdxReader.readImages(file), file.toString(), "gzip data is corrupt");
    }

    /** Asserts that {@code action} throws an {@link IdxFormatException} whose message holds every fragment. */
    private static void assertFailsWith(Executable action, String... fragments) {
        IdxFormatException e = assertThrows(IdxFormatException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
    }
}
