package io.github.capsnet4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The constants of the IDX file format used by MNIST and Fashion-MNIST, and the detection of
 * gzip compression.
 *
 * <p>An IDX file starts with a big-endian 32-bit magic number {@code 0x0000TTDD}, where
 * {@code TT = 0x08} says the values are unsigned bytes and {@code DD} is the number of
 * dimensions; then one big-endian 32-bit size per dimension; then the values in row-major order.
 * Images are 3-dimensional ({@code [count, rows, columns]}), labels 1-dimensional
 * ({@code [count]}). Files are often gzip-compressed; compression is recognised by the gzip
 * magic bytes {@code 1f 8b}, never by the file name.
 */
public final class IdxFormat {

    /** Magic number of an images file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a labels file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The usual fix for a damaged file, for error messages. */
    static final String REDOWNLOAD = "download the file again, or regenerate it";

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private IdxFormat() {
    }

    /**
     * Wraps {@code raw} so that it yields the uncompressed IDX bytes, decompressing if the
     * stream starts with the gzip magic bytes.
     *
     * @param raw    the file's bytes as stored; closing the returned stream closes it
     * @param source the file's name, for error messages
     * @return a buffered stream of the uncompressed bytes
     * @throws IdxFormatException if the gzip header is cut off or corrupt
     * @throws IOException        if reading fails
     */
    public static InputStream decompressed(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = startsWithGzipMagic(in);
        in.reset(); // hand the magic bytes on to whichever reader follows
        if (!gzip) {
            return in;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(in)); // reads the gzip header now
        } catch (EOFException | ZipException e) {
            throw new IdxFormatException(source, "the gzip header is truncated or corrupt", REDOWNLOAD);
        }
    }

    /** Whether {@code file} starts with the gzip magic bytes. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return startsWithGzipMagic(in);
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        return in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
    }

    /** A human-readable name for a magic number, for error messages. */
    static String describe(int magic) {
        switch (magic) {
            case IMAGES_MAGIC:
                return String.format("0x%08x (an IDX images file)", magic);
            case LABELS_MAGIC:
                return String.format("0x%08x (an IDX labels file)", magic);
            default:
                return String.format("0x%08x (not an IDX file of unsigned bytes)", magic);
        }
    }
}
