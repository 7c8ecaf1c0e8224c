package io.github.capsnet4j.train;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A training run's folder, owned by this process while it is open ({@link RunLock}): where its files are,
 * and the checks that it can take them. Files: {@value Trainer#CHECKPOINT} (network, updater and training
 * state in one, see {@link Checkpoint}), {@value Trainer#STATE} (a readable copy of the training state, for
 * people and scripts; resuming never reads it), {@value Trainer#MODEL} (the trained network, at the end),
 * {@value Trainer#EPOCHS}{@code /epoch-NNN.zip} (each epoch's checkpoint, if kept), {@value RunLock#FILE}.
 */
final class RunFolder implements AutoCloseable {

    /** Room wanted beyond the checkpoint's size: the next checkpoint is written beside it, then model.zip. */
    private static final double ROOM_PER_CHECKPOINT_BYTE = 1.5;

    private final Path folder;
    private final RunLock lock;

    private RunFolder(Path folder, RunLock lock) {
        this.folder = folder;
        this.lock = lock;
    }

    /**
     * Creates (if needed) and locks {@code folder}, checks that files can be written in it and deletes what a
     * killed run left half-written.
     *
     * @throws TrainingException if it cannot be created or written, or another run holds it
     */
    static RunFolder open(Path folder) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new TrainingException("The run folder " + folder.toAbsolutePath() + " is a file, not a folder",
                    "choose another --output folder");
        }
        try {
            Files.createDirectories(folder);
        } catch (FileSystemException e) {
            throw notWritable(folder, e);
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(folder);
        } catch (TrainingException inUse) {
            throw inUse;
        } catch (IOException e) {
            throw notWritable(folder, e);
        }
        RunFolder run = new RunFolder(folder, lock);
        try {
            run.checkWritable();
            Checkpoint.deleteLeftovers(folder, run.checkpoint());
            AtomicFiles.deleteLeftovers(folder, Trainer.MODEL);
            AtomicFiles.deleteLeftovers(folder, Trainer.STATE);
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    private void checkWritable() throws TrainingException {
        try {
            Files.delete(Files.createTempFile(folder, "write-test.", AtomicFiles.TEMPORARY_SUFFIX));
        } catch (IOException e) {
            throw notWritable(folder, e);
        }
    }

    private static TrainingException notWritable(Path folder, IOException e) {
        String reason = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                ? ((FileSystemException) e).getReason() : e.getClass().getSimpleName();
        return new TrainingException("Cannot write into the run folder " + folder.toAbsolutePath() + " (" + reason + ")",
                "choose an --output folder that you can write to, on a disk with room for the checkpoints", e);
    }

    /**
     * Checks that the disk has room for the next checkpoint, written beside the current one before it replaces
     * it, and for the final model.
     *
     * @throws TrainingException if it has not
     */
    void checkRoom(long checkpointBytes) throws IOException {
        long needed = (long) (ROOM_PER_CHECKPOINT_BYTE * checkpointBytes);
        long free = Files.getFileStore(folder).getUsableSpace();
        if (free < needed) {
            throw new TrainingException(String.format(Locale.ROOT, "The disk of the run folder %s has %.0f MB free, but the run"
                            + " needs about %.0f MB: its next checkpoint is written beside the current one (%.0f MB), then model.zip",
                    folder.toAbsolutePath(), free / 1e6, needed / 1e6, checkpointBytes / 1e6),
                    "free space on that disk, or choose an --output folder on another disk");
        }
    }

    Path checkpoint() {
        return folder.resolve(Trainer.CHECKPOINT);
    }

    Path stateCopy() {
        return folder.resolve(Trainer.STATE);
    }

    Path model() {
        return folder.resolve(Trainer.MODEL);
    }

    /** The chart of the accuracy after each epoch, a PNG. */
    Path accuracyChart() {
        return folder.resolve(Trainer.ACCURACY_CHART);
    }

    /** Where the checkpoint of (1-based) {@code epoch} is kept. */
    Path epochCheckpoint(int epoch) {
        return folder.resolve(Trainer.EPOCHS).resolve(String.format(Locale.ROOT, "epoch-%03d.zip", epoch));
    }

    /** The folder as given. */
    Path path() {
        return folder;
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
