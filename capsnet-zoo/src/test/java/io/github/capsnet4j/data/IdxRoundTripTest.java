package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;

/** Writing IDX files and reading them back gives the same data, compressed or not. */
class IdxRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void imagesAndLabelsSurviveARoundTrip(String suffix) throws IOException {
        IdxImages images = TestData.images(5, 3, 4);
        IdxLabels labels = TestData.labels(5, 3);
        IdxWriter.writeImages(dir.resolve("images" + suffix), images);
        IdxWriter.writeLabels(dir.resolve("labels" + suffix), labels);

        IdxImages readImages = IdxReader.readImages(dir.resolve("images" + suffix));
        IdxLabels readLabels = IdxReader.readLabels(dir.resolve("labels" + suffix));

        assertEquals(5, readImages.count());
        assertEquals(3, readImages.rows());
        assertEquals(4, readImages.columns());
        assertArrayEquals(images.pixels(), readImages.pixels());
        assertArrayEquals(labels.bytes(), readLabels.bytes());
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotByTheName() throws IOException {
        Path compressedWithoutGzName = dir.resolve("images");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressedWithoutGzName))) {
            IdxWriter.writeImages(out, TestData.images(2, 28, 28));
        }
        Path plainWithGzName = dir.resolve("labels.gz");
        try (OutputStream out = Files.newOutputStream(plainWithGzName)) {
            IdxWriter.writeLabels(out, TestData.labels(2, 10));
        }

        assertEquals(2, IdxReader.readImages(compressedWithoutGzName).count());
        assertEquals(2, IdxReader.readLabels(plainWithGzName).count());
    }

    @Test
    void writtenFilesHaveTheStandardHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.writeLabels(out, TestData.labels(3, 10));
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 2}, out.toByteArray());

        IdxLabels read = IdxReader.readLabels(new ByteArrayInputStream(out.toByteArray()), "memory");
        assertEquals(2, read.label(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void aDirectoryOfEitherKindLoadsAsScaledOneHotData(String suffix) throws IOException {
        TestData.writeSplits(dir, suffix, 4, 10);

        IdxDataset data = IdxDataset.load(dir, Split.TEST, 10);
        DataSet all = data.toDataSet();

        assertArrayEquals(new long[] {4, 1, 28, 28}, all.getFeatures().shape());
        assertArrayEquals(new long[] {4, 10}, all.getLabels().shape());
        // Pixel (image 1, row 2, column 3) is byte (784 + 2 * 28 + 3) * 7 mod 256.
        assertEquals(((784 + 59) * 7 & 0xff) / 255f, all.getFeatures().getFloat(1, 0, 2, 3), 1e-6);
        assertEquals(1f, all.getLabels().getFloat(3, 3));
        assertEquals(1f, all.getLabels().sumNumber().floatValue() / 4);
    }
}
