package io.github.capsnet4j.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes images and labels as IDX files, the inverse of {@link IdxReader}: to turn one's own
 * data into files that {@link IdxDataset#load} reads, and to build test fixtures.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** Writes an IDX3 images file, gzip-compressed if the file name ends in {@code .gz}. */
    public static void writeImages(Path file, IdxImages images) throws IOException {
        try (OutputStream out = create(file)) {
            writeImages(out, images);
        }
    }

    /** Writes an uncompressed IDX3 images file to a stream, which stays open. */
    public static void writeImages(OutputStream out, IdxImages images) throws IOException {
        write(out, IdxFormat.IMAGES_MAGIC, new int[] {images.count(), images.rows(), images.columns()},
                images.pixels());
    }

    /** Writes an IDX1 labels file, gzip-compressed if the file name ends in {@code .gz}. */
    public static void writeLabels(Path file, IdxLabels labels) throws IOException {
        try (OutputStream out = create(file)) {
            writeLabels(out, labels);
        }
    }

    /** Writes an uncompressed IDX1 labels file to a stream, which stays open. */
    public static void writeLabels(OutputStream out, IdxLabels labels) throws IOException {
        write(out, IdxFormat.LABELS_MAGIC, new int[] {labels.count()}, labels.bytes());
    }

    private static OutputStream create(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out) : out;
    }

    private static void write(OutputStream out, int magic, int[] dims, byte[] body) throws IOException {
        DataOutputStream data = new DataOutputStream(out); // big-endian, as IDX requires
        data.writeInt(magic);
        for (int size : dims) {
            data.writeInt(size);
        }
        data.write(body);
        data.flush();
    }
}
