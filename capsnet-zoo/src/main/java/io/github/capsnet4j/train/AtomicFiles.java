package io.github.capsnet4j.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file all at once: the new content goes to a temporary file beside it ({@value #TEMPORARY_SUFFIX}),
 * is flushed to the disk and then renamed over the old file in one atomic step. A reader, a crash or a kill at
 * any moment sees either the old file or the new one, never a part; a failed write leaves the old file as it was.
 */
final class AtomicFiles {

    static final String TEMPORARY_SUFFIX = ".tmp";

    /** Writes a file's complete content to the path it is given. */
    @FunctionalInterface
    interface Writer {
        void write(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code file} with what {@code writer} writes. */
    static void replace(Path file, Writer writer) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, file.getFileName() + ".", TEMPORARY_SUFFIX);
        try {
            writer.write(temporary);
            readableByAll(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);                                        // the content is on the disk before the rename
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);                                // only left after a failure
        }
        syncFolder(folder);
    }

    /** Temporary files are private to their owner; the files they become are as readable as any other. */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Makes the rename itself durable; folders cannot be opened for this on every system, where it is skipped. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel; the rename is still atomic there.
        }
    }

    /** Deletes the temporary files that a killed writer of {@code fileName} left beside it. */
    static void deleteLeftovers(Path folder, String fileName) throws IOException {
        try (var files = Files.newDirectoryStream(folder, fileName + ".*" + TEMPORARY_SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
