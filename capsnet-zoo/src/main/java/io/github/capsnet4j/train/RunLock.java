package io.github.capsnet4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ownership of a run folder by one process at a time: an operating-system lock on the file {@value #FILE} in
 * it, held for the whole run. The operating system drops the lock when the process ends in any way (also
 * {@code kill -9} or a power cut), so a crashed run never leaves its folder stuck; the file itself stays and
 * only says who held the lock last.
 *
 * <p>POSIX locks belong to a process, not to a channel, and closing any channel on the file would drop them;
 * so runs inside this Java process are kept apart by {@link #HELD} before the file is opened at all.
 */
final class RunLock implements AutoCloseable {

    static final String FILE = "run.lock";

    /** Run folders (real paths) locked by this Java process. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code folder} (which must exist) for this process.
     *
     * @throws TrainingException if another run, in this process or another, holds it
     */
    static RunLock acquire(Path folder) throws IOException {
        Path real = folder.toRealPath();
        if (!HELD.add(real)) {
            throw inUse(folder, "another training run in this Java process");
        }
        try {
            FileChannel channel = FileChannel.open(real.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw inUse(folder, "another training run (" + holder + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner().getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new RunLock(real, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(real);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {      // cannot happen past HELD, but means the same
            return null;
        }
    }

    /** Who holds the lock, as the holder wrote it into the file. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(256);
        channel.read(content, 0);
        String text = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "process unknown" : text;
    }

    private static String owner() {
        return "process " + ProcessHandle.current().pid() + ", since " + Instant.now();
    }

    private static TrainingException inUse(Path folder, String holder) {
        return new TrainingException("The run folder " + folder + " is in use by " + holder
                + "; two runs in one folder would overwrite each other's checkpoints",
                "wait for that run to end (or stop it: it saves a checkpoint on Ctrl-C or kill), then --resume;"
                        + " or choose another --output folder");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD.remove(folder);
        }
    }
}
