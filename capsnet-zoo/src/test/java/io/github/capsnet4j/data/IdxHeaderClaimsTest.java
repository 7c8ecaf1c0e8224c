package io.github.capsnet4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A header that claims far more images than its file holds (2.7 million 28x28 images, 2.1 GB, in 100 KB) is
 * refused as truncated without allocating what it claims: at once for a plain file, whose size is known, and
 * after reading no more than the real content for gzip data and streams.
 */
class IdxHeaderClaimsTest {

    private static final int CLAIMED_IMAGES = 2_700_000;
    /** Far below the 2.1 GB claimed, far above what 100 KB of content needs. */
    private static final long ALLOWED_ALLOCATION = 64L << 20;

    @TempDir
    Path dir;

    /** An images file whose header claims 2.7 M images, with 100 KB of pixels. */
    private static byte[] lyingImagesFile() {
        ByteBuffer file = ByteBuffer.allocate(16 + 100_000);
        file.putInt(IdxFormat.IMAGES_MAGIC).putInt(CLAIMED_IMAGES).putInt(28).putInt(28);
        return file.array();
    }

    @Test
    void aPlainFileIsRefusedBeforeAllocating() throws IOException {
        Path file = Files.write(dir.resolve("train-images-idx3-ubyte"), lyingImagesFile());
        assertRefusedCheaply(() -> IdxReader.readImages(file), "2700000 images of 28 x 28 pixels (2116800000 bytes)",
                "only 100000 bytes follow");
    }

    @Test
    void aGzipFileIsRefusedAfterReadingItsRealContent() throws IOException {
        Path file = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(lyingImagesFile()));
        assertRefusedCheaply(() -> IdxReader.readImages(file), "2700000 images", "only 100000 bytes follow");
    }

    @Test
    void aStreamIsRefusedAfterReadingItsRealContent() throws IOException {
        byte[] content = gzip(lyingImagesFile());
        assertRefusedCheaply(() -> {
            try (InputStream in = new java.io.ByteArrayInputStream(content)) {
                return IdxReader.readImages(in, "a stream");
            }
        }, "2700000 images", "only 100000 bytes follow");
    }

    @Test
    void aLabelsFileClaimingMoreLabelsIsRefusedToo() throws IOException {
        ByteBuffer labels = ByteBuffer.allocate(8 + 1000).putInt(IdxFormat.LABELS_MAGIC).putInt(2_000_000_000);
        Path file = Files.write(dir.resolve("train-labels-idx1-ubyte"), labels.array());
        assertRefusedCheaply(() -> IdxReader.readLabels(file), "2000000000 labels", "only 1000 bytes follow");
    }

    private static void assertRefusedCheaply(ThrowingSupplier<?> read, String... fragments) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IdxFormatException e = assertThrows(IdxFormatException.class, read::get);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("Fix:"), e.getMessage());
        assertTrue(allocated < ALLOWED_ALLOCATION, "allocated " + allocated + " bytes to find that out");
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
