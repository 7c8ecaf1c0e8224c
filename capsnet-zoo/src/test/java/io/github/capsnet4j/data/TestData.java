package io.github.capsnet4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** Small synthetic IDX data for the tests: deterministic pixels, labels cycling through the classes. */
final class TestData {

    private TestData() {
    }

    /** {@code count} images whose pixel bytes are {@code (index * 7) mod 256}, all different per image. */
    static IdxImages images(int count, int rows, int columns) {
        byte[] pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        return new IdxImages(count, rows, columns, pixels);
    }

    /** Labels {@code 0, 1, ..., numClasses-1, 0, 1, ...}. */
    static IdxLabels labels(int count, int numClasses) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % numClasses);
        }
        return new IdxLabels(labels);
    }

    /** Writes both splits of a small data set to {@code directory}, with the given file name suffix. */
    static void writeSplits(Path directory, String suffix, int count, int numClasses) throws IOException {
        for (Split split : Split.values()) {
            IdxWriter.writeImages(directory.resolve(split.imagesFileName() + suffix), images(count, 28, 28));
            IdxWriter.writeLabels(directory.resolve(split.labelsFileName() + suffix), labels(count, numClasses));
        }
    }
}
