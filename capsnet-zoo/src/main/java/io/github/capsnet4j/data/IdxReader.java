package io.github.capsnet4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads IDX images (IDX3) and labels (IDX1) files, plain or gzip-compressed, and checks that
 * each is what its header says: the right magic number, a sane size, and as many bytes as the
 * header promises. Every problem is reported as an {@link IdxFormatException} naming the file.
 */
public final class IdxReader {

    /** Bytes read before the buffer grows: one MiB, about 1,300 MNIST images. */
    private static final int FIRST_BUFFER = 1 << 20;
    /** A file size that is not known, e.g. of a stream or of gzip-compressed content. */
    private static final long UNKNOWN = -1;

    private IdxReader() {
    }

    /** Reads an images file (magic {@code 0x00000803}), gzip-compressed or not. */
    public static IdxImages readImages(Path file) throws IOException {
        try (InputStream raw = open(file); InputStream in = IdxFormat.decompressed(raw, file.toString())) {
            return images(in, file.toString(), plainSize(file));
        }
    }

    /**
     * Reads an images file from a stream, gzip-compressed or not.
     *
     * @param in     the file's bytes; not closed
     * @param source the file's name, used in error messages
     */
    public static IdxImages readImages(InputStream in, String source) throws IOException {
        return images(IdxFormat.decompressed(in, source), source, UNKNOWN);
    }

    /** Reads a labels file (magic {@code 0x00000801}), gzip-compressed or not. */
    public static IdxLabels readLabels(Path file) throws IOException {
        try (InputStream raw = open(file); InputStream in = IdxFormat.decompressed(raw, file.toString())) {
            return labels(in, file.toString(), plainSize(file));
        }
    }

    /**
     * Reads a labels file from a stream, gzip-compressed or not.
     *
     * @param in     the file's bytes; not closed
     * @param source the file's name, used in error messages
     */
    public static IdxLabels readLabels(InputStream in, String source) throws IOException {
        return labels(IdxFormat.decompressed(in, source), source, UNKNOWN);
    }

    /**
     * @param fileSize the size of the uncompressed file if known, else {@link #UNKNOWN}: a header that promises
     *                 more than it holds is then refused before anything is allocated
     */
    private static IdxImages images(InputStream uncompressed, String source, long fileSize) throws IOException {
        int[] dims = readHeader(uncompressed, source, IdxFormat.IMAGES_MAGIC, 3);
        byte[] pixels = readExactly(uncompressed, source, checkedSize(source, dims),
                String.format("%d images of %d x %d pixels", dims[0], dims[1], dims[2]), bodySize(fileSize, 3));
        return new IdxImages(dims[0], dims[1], dims[2], pixels);
    }

    private static IdxLabels labels(InputStream uncompressed, String source, long fileSize) throws IOException {
        int[] dims = readHeader(uncompressed, source, IdxFormat.LABELS_MAGIC, 1);
        return new IdxLabels(readExactly(uncompressed, source, dims[0], dims[0] + " labels", bodySize(fileSize, 1)));
    }

    /** The size of a plain file; {@link #UNKNOWN} for a gzip-compressed one, whose content may be any size. */
    private static long plainSize(Path file) throws IOException {
        return IdxFormat.isGzip(file) ? UNKNOWN : Files.size(file);
    }

    /** Bytes after the header: the magic number and one size per dimension. */
    private static long bodySize(long fileSize, int rank) {
        return fileSize == UNKNOWN ? UNKNOWN : fileSize - (long) Integer.BYTES * (1 + rank);
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IdxFormatException(file.toString(), "no such file",
                    "check the path; IDX files are named like train-images-idx3-ubyte.gz");
        }
        return Files.newInputStream(file);
    }

    /** Reads and checks the magic number, then returns the dimension sizes that follow it. */
    private static int[] readHeader(InputStream in, String source, int expectedMagic, int rank)
            throws IOException {
        int magic = ByteBuffer.wrap(readExactly(in, source, Integer.BYTES, "a magic number", UNKNOWN)).getInt();
        if (magic != expectedMagic) {
            throw new IdxFormatException(source,
                    "wrong magic number: expected " + IdxFormat.describe(expectedMagic)
                            + " but found " + IdxFormat.describe(magic),
                    "pass the IDX " + (expectedMagic == IdxFormat.IMAGES_MAGIC ? "images" : "labels")
                            + " file (images and labels files may be swapped), or " + IdxFormat.REDOWNLOAD);
        }
        ByteBuffer header = ByteBuffer.wrap(readExactly(in, source, rank * Integer.BYTES, "the dimension sizes", UNKNOWN));
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = header.getInt();
            if (dims[i] < 0) { // sizes are unsigned; above 2^31 they cannot be held in memory anyway
                throw new IdxFormatException(source, "dimension " + i + " has an impossible size "
                        + Integer.toUnsignedString(dims[i]), IdxFormat.REDOWNLOAD);
            }
        }
        return dims;
    }

    /** The body size of an images file, checked against what one Java array can hold. */
    private static int checkedSize(String source, int[] dims) throws IdxFormatException {
        long size = (long) dims[0] * dims[1] * dims[2];
        if (dims[1] == 0 || dims[2] == 0 || size > Integer.MAX_VALUE - 8) { // empty, or too big for one array
            throw new IdxFormatException(source, String.format(
                    "the header declares %d images of %d x %d pixels, which cannot be loaded",
                    dims[0], dims[1], dims[2]), "split the data into smaller files, or " + IdxFormat.REDOWNLOAD);
        }
        return (int) size;
    }

    /**
     * Reads exactly {@code length} bytes, or fails with a "truncated" error that says how many
     * bytes were found instead, or a "corrupt" one if gzip data cannot be inflated. The buffer
     * grows with the bytes that arrive, so a header that promises far more than the file holds
     * costs no more memory than the file's real content.
     *
     * @param what      what the bytes are, for the error message
     * @param available how many bytes the file has left, or {@link #UNKNOWN}
     */
    private static byte[] readExactly(InputStream in, String source, int length, String what, long available)
            throws IOException {
        if (available != UNKNOWN && available < length) {
            throw truncated(source, what, length, Math.max(0, available));
        }
        byte[] bytes = new byte[Math.min(length, FIRST_BUFFER)];
        int done = 0;
        try {
            int n;
            while (done < length && (n = in.read(bytes, done, bytes.length - done)) >= 0) {
                done += n;
                if (done == bytes.length && done < length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
                }
            }
        } catch (EOFException e) {
            // A cut-off gzip stream ends this way; 'done' still says how far it got.
        } catch (ZipException e) {
            throw new IdxFormatException(source, "the gzip data is corrupt (" + e.getMessage() + ")",
                    IdxFormat.REDOWNLOAD);
        }
        if (done < length) {
            throw truncated(source, what, length, done);
        }
        return bytes;
    }

    private static IdxFormatException truncated(String source, String what, int length, long found) {
        return new IdxFormatException(source, String.format(
                "the file is truncated: expected %s (%d bytes) but only %d bytes follow", what, length, found),
                "the download or copy was probably interrupted; " + IdxFormat.REDOWNLOAD);
    }
}
