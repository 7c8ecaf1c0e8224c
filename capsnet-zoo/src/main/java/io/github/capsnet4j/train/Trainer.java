package io.github.capsnet4j.train;

import io.github.capsnet4j.data.CapsNetDataSetIterator;
import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.render.AccuracyChart;
import io.github.capsnet4j.train.TrainingState.Epoch;
import io.github.capsnet4j.train.TrainingState.Progress;
import io.github.capsnet4j.zoo.CapsNetEvaluator;
import io.github.capsnet4j.zoo.CapsNetGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains a CapsNet so that nothing is lost when the run is interrupted, and nothing can silently corrupt it:
 * <ul>
 * <li>everything that could fail later is checked before the first step ({@link RunChecks}, {@link RunFolder});</li>
 * <li>the run folder belongs to one process at a time ({@link RunLock});</li>
 * <li>one atomic checkpoint holds network, updater state and training state ({@link Checkpoint}), written
 * before the first step, every {@link #checkpointEvery few minutes}, after each epoch's last step and after
 * its evaluation, and at the next step boundary when the process is asked to stop ({@link StopSignal});</li>
 * <li>{@code resume} continues at the exact step, and refuses any setting (batch size, seed, max shift, data,
 * network) that differs from the run's.</li>
 * </ul>
 * After every epoch the network is evaluated on the validation and the test split, both recorded in the
 * {@link TrainingState} and logged. Files in the run folder: see {@link RunFolder}.
 *
 * <p>Deterministic for a given seed: epoch e (0-based) shuffles and shifts the training data with seed + e, and
 * a resumed run redraws the steps done before the interruption, so it ends bit-identical to an uninterrupted one.
 */
public final class Trainer {

    public static final String CHECKPOINT = "checkpoint.zip";
    /** A readable copy of the training state; the checkpoint holds the one that counts. */
    public static final String STATE = "training-state.json";
    public static final String MODEL = "model.zip";
    /** The validation and test accuracy after each epoch as a line chart, rewritten after every epoch. */
    public static final String ACCURACY_CHART = "accuracy.png";
    /** Folder of the per-epoch checkpoints kept with {@link #keepEpochCheckpoints()}. */
    public static final String EPOCHS = "epochs";
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);
    private static final int EVALUATION_BATCH = 128;

    private final Path runDirectory;
    private final int batchSize;
    private final long seed;
    private final int maxShift;
    private final Duration checkpointInterval;
    private final boolean keepEpochs;
    private final StopSignal stop = new StopSignal();

    /**
     * @param runDirectory where checkpoints go (created if missing)
     * @param batchSize    examples per step
     * @param seed         seed of the data order and shifts (the network's initial weights come from its own seed)
     * @param maxShift     random translation in pixels for training (paper: 2; 0 for none)
     */
    public Trainer(Path runDirectory, int batchSize, long seed, int maxShift) {
        this(runDirectory, batchSize, seed, maxShift, DEFAULT_CHECKPOINT_INTERVAL, false);
    }

    private Trainer(Path runDirectory, int batchSize, long seed, int maxShift, Duration checkpointInterval, boolean keepEpochs) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxShift < 0) {
            throw new IllegalArgumentException("max shift must be 0 or more pixels, got " + maxShift);
        }
        if (checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("the checkpoint interval must not be negative, got " + checkpointInterval);
        }
        this.runDirectory = runDirectory;
        this.batchSize = batchSize;
        this.seed = seed;
        this.maxShift = maxShift;
        this.checkpointInterval = checkpointInterval;
        this.keepEpochs = keepEpochs;
    }

    /** This trainer with checkpoints also within epochs, at the first step boundary after each {@code interval} (zero: every step). */
    public Trainer checkpointEvery(Duration interval) {
        return new Trainer(runDirectory, batchSize, seed, maxShift, interval, keepEpochs);
    }

    /** This trainer also keeping every epoch's checkpoint as {@value #EPOCHS}/epoch-NNN.zip (a hard link where the disk allows). */
    public Trainer keepEpochCheckpoints() {
        return new Trainer(runDirectory, batchSize, seed, maxShift, checkpointInterval, true);
    }

    /**
     * Asks a running {@link #train} (from another thread) to stop after the current step, with a checkpoint there;
     * it then throws {@link TrainingStoppedException}. SIGTERM and Ctrl-C do the same.
     */
    public void requestStop() {
        stop.request();
    }

    /** {@link #train(Supplier, IdxDataset, IdxDataset, IdxDataset, int, boolean)} without a validation split. */
    public Result train(Supplier<ComputationGraph> newNetwork, IdxDataset train, IdxDataset test, int epochs, boolean resume)
            throws IOException {
        return train(newNetwork, train, null, test, epochs, resume);
    }

    /**
     * Trains until {@code epochs} epochs are done in total, evaluating after each on {@code validation} and {@code test}.
     *
     * @param newNetwork creates the untrained network; when resuming, its configuration must equal the checkpoint's
     * @param validation examples for choosing epochs and schedules, or {@code null}
     * @param test       held-out examples, or {@code null}
     * @param resume     continue the run folder's checkpoint; without it an existing checkpoint is an error
     * @return the trained network and its history
     * @throws TrainingException          if the run is refused (the message says why and how to fix it), or diverges
     * @throws TrainingStoppedException   if asked to stop ({@link #requestStop()}, SIGTERM, Ctrl-C); its checkpoint resumes
     */
    public Result train(Supplier<ComputationGraph> newNetwork, IdxDataset train, IdxDataset validation, IdxDataset test,
                        int epochs, boolean resume) throws IOException {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        RunChecks.checkData(train, validation, test, maxShift);
        Map<String, String> settings = settings(train, validation, test);
        stop.arm();
        try (RunFolder folder = RunFolder.open(runDirectory)) {
            Checkpoint.Contents run = resume ? resume(folder, newNetwork, settings, train, epochs)
                    : start(folder, newNetwork, settings, train);
            folder.checkRoom(Files.size(folder.checkpoint()));
            return trainEpochs(folder, run.network, run.state, train, validation, test, epochs);
        } finally {
            stop.disarm();
        }
    }

    /** What a resumed run must keep: batch size, seed, max shift and the data. */
    private Map<String, String> settings(IdxDataset train, IdxDataset validation, IdxDataset test) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("batch size", Integer.toString(batchSize));
        settings.put("seed", Long.toString(seed));
        settings.put("max shift", Integer.toString(maxShift));
        settings.put("training data", DataFingerprint.of(train));
        settings.put("validation data", DataFingerprint.of(validation));
        settings.put("test data", DataFingerprint.of(test));
        return settings;
    }

    /** A new run: the untrained network, checked and saved before the first step (which also proves the folder takes it). */
    private Checkpoint.Contents start(RunFolder folder, Supplier<ComputationGraph> newNetwork, Map<String, String> settings,
                                     IdxDataset train) throws IOException {
        if (Files.exists(folder.checkpoint())) {
            throw new TrainingException("A training checkpoint already exists in " + folder.path(),
                    "add --resume to continue that run, or choose another --output folder");
        }
        ComputationGraph network = newNetwork.get();
        RunChecks.checkNetwork(network, train);
        TrainingState state = new TrainingState();
        state.settings.putAll(settings);
        save(folder, network, state);
        return new Checkpoint.Contents(network, state);
    }

    /** The run in the folder's checkpoint, after checking that it is whole and that nothing differs from it. */
    private Checkpoint.Contents resume(RunFolder folder, Supplier<ComputationGraph> newNetwork, Map<String, String> settings,
                                       IdxDataset train, int epochs) throws IOException {
        Path checkpoint = folder.checkpoint();
        if (!Files.exists(checkpoint)) {
            throw new TrainingException("--resume: there is no checkpoint " + CHECKPOINT + " in " + folder.path().toAbsolutePath()
                    + " to resume", "check the --output folder (a typo?), or drop --resume to start a new run there");
        }
        TrainingState state = Checkpoint.state(checkpoint);
        boolean legacy = state == null;
        if (!legacy) {
            refuseDifferences(folder, state.differences(settings));             // before the slower restore of the network
        }
        ComputationGraph network = Checkpoint.network(checkpoint);
        if (legacy) {
            state = LegacyRun.migrate(folder.stateCopy(), network.getConfiguration().getEpochCount(), settings, stepsPerEpoch(train));
        }
        refuseDifferences(folder, NetworkComparison.differences(network.getConfiguration(), newNetwork.get().getConfiguration()));
        if (network.getConfiguration().getEpochCount() != state.epochsTrained()) {
            throw new TrainingException("The checkpoint " + checkpoint + " is inconsistent: its network has trained "
                    + network.getConfiguration().getEpochCount() + " epochs but its state records " + state.epochsTrained(),
                    "restore the checkpoint from a copy, or start a new run in another --output folder");
        }
        Progress progress = state.progress;
        if (progress != null && !progress.trained() && state.epochsDone() >= epochs) {
            throw new TrainingException(String.format(Locale.ROOT, "--resume with --epochs %d: the checkpoint is already %d steps"
                            + " into epoch %d, so its weights are no longer those after epoch %d", epochs, progress.steps,
                    state.epochsDone() + 1, epochs), "finish that epoch (--epochs " + (state.epochsDone() + 1)
                    + "), or take the epoch's own checkpoint from " + EPOCHS + "/ (kept with --keep-epochs)");
        }
        RunChecks.checkNetwork(network, train);
        if (legacy) {
            LegacyRun.keepOldState(folder.stateCopy());
            save(folder, network, state);                                // the folder is in the current format from now on
            log.warn("Migrated the capsnet4j 0.1 run in {}: {}", folder.path(), state.notes.get(state.notes.size() - 1));
        }
        log.info("Resuming {} after epoch {}{} of {}", folder.path(), state.epochsDone(),
                progress == null ? "" : " and " + progress.steps + " steps", epochs);
        return new Checkpoint.Contents(network, state);
    }

    private static void refuseDifferences(RunFolder folder, List<String> differences) throws TrainingException {
        if (!differences.isEmpty()) {
            throw new TrainingException("--resume: the run in " + folder.path() + " differs from the settings given: "
                    + summary(differences), "resume with the run's settings, or start a new run in another --output folder");
        }
    }

    private static String summary(List<String> differences) {
        int shown = Math.min(4, differences.size());
        return String.join("; ", differences.subList(0, shown))
                + (differences.size() > shown ? "; and " + (differences.size() - shown) + " more" : "");
    }

    private Result trainEpochs(RunFolder folder, ComputationGraph network, TrainingState state, IdxDataset train,
                               IdxDataset validation, IdxDataset test, int epochs) throws IOException {
        long stepsPerEpoch = stepsPerEpoch(train);
        for (int epoch = state.epochsDone(); epoch < epochs; epoch++) {
            if (state.progress == null) {
                state.progress = new Progress(0, stepsPerEpoch, 0, 0);
            }
            if (!state.progress.trained()) {
                trainEpoch(folder, network, state, train, epoch, epochs);
            }
            double validationAccuracy = accuracy(network, validation);
            double testAccuracy = accuracy(network, test);
            Progress done = state.progress;
            state.epochs.add(new Epoch(epoch + 1, done.lossSum / done.steps, validationAccuracy, testAccuracy, done.seconds));
            state.progress = null;
            save(folder, network, state);
            writeAccuracyChart(folder, state);
            if (keepEpochs) {
                keepEpoch(folder, epoch + 1);
            }
            log.info(String.format(Locale.ROOT, "epoch %d/%d: mean loss %.4f, validation accuracy %.4f, test accuracy %.4f,"
                    + " %.0f s (checkpoint saved)", epoch + 1, epochs, done.lossSum / done.steps, validationAccuracy,
                    testAccuracy, done.seconds));
        }
        AtomicFiles.replace(folder.model(), file -> ModelSerializer.writeModel(network, file.toFile(), false));
        return new Result(network, state);
    }

    /**
     * The remaining steps of epoch {@code epoch} (0-based): the data order and shifts are drawn from seed + epoch,
     * skipping the steps done before an interruption, so that every step sees the batch it would have seen.
     */
    private void trainEpoch(RunFolder folder, ComputationGraph network, TrainingState state, IdxDataset train, int epoch,
                            int epochs) throws IOException {
        Progress progress = state.progress;
        boolean decoder = CapsNetGraph.hasDecoder(network);
        CapsNetDataSetIterator batches = new CapsNetDataSetIterator(train, batchSize, seed + epoch, true, maxShift);
        for (long step = 0; step < progress.steps; step++) {
            batches.next();                                               // draws the same order and shifts as the first time
        }
        ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), progress.stepsPerEpoch,
                progress.steps);
        double secondsBefore = progress.seconds;
        long lastCheckpoint = System.nanoTime();
        stop.enterSteps();
        try {
            while (batches.hasNext()) {
                network.fit(CapsNetGraph.trainingBatch(batches.next(), decoder));
                double loss = network.score();
                if (!Double.isFinite(loss)) {
                    throw diverged(folder, epoch, progress.steps + 1, "its loss is " + loss);
                }
                progress.lossSum += loss;
                progress.steps++;
                progress.seconds = secondsBefore + bar.elapsedSeconds();
                bar.update(progress.steps, String.format(Locale.ROOT, "loss %.4f", progress.lossSum / progress.steps));
                if (progress.trained()) {
                    network.incrementEpochCount();                        // drives the per-epoch learning-rate decay
                }
                boolean stopping = stop.requested();
                if (stopping || progress.trained() || System.nanoTime() - lastCheckpoint >= checkpointInterval.toNanos()) {
                    if (!RunChecks.finite(network.params())) {
                        throw diverged(folder, epoch, progress.steps, "the weights after it are not finite");
                    }
                    save(folder, network, state);
                    lastCheckpoint = System.nanoTime();
                }
                if (stopping || stop.requested()) {
                    TrainingStoppedException stopped = new TrainingStoppedException(folder.path(), state.epochsDone() + 1,
                            progress.steps, progress.stepsPerEpoch);
                    log.warn(stopped.getMessage());                      // now: on SIGTERM the JVM ends once the steps are left
                    throw stopped;
                }
            }
        } finally {
            stop.leaveSteps();
        }
    }

    /** Training went wrong at (1-based) {@code step} of (0-based) {@code epoch}; the last checkpoint is from before. */
    private static TrainingException diverged(RunFolder folder, int epoch, long step, String problem) {
        return new TrainingException(String.format(Locale.ROOT, "Training diverged at step %d of epoch %d: %s. The checkpoint in"
                + " %s is from before and is kept", step, epoch + 1, problem, folder.path()),
                "resume with a lower learning rate or other data, or start a new run");
    }

    /** Batches per epoch; the last one may be smaller. */
    private long stepsPerEpoch(IdxDataset train) {
        return (train.size() + batchSize - 1) / batchSize;
    }

    /** Writes {@link #ACCURACY_CHART}; a failure is logged and training goes on (the chart is a convenience). */
    private void writeAccuracyChart(RunFolder folder, TrainingState state) {
        try {
            AtomicFiles.replace(folder.accuracyChart(), file -> ImageIO.write(accuracyChart(state), "png", file.toFile()));
        } catch (IOException | RuntimeException | LinkageError e) {   // e.g. a full disk, or a JDK without fonts
            log.warn("Could not write {}: {}", folder.accuracyChart(), e.toString());
        }
    }

    /** The validation and test accuracy of every finished epoch. */
    BufferedImage accuracyChart(TrainingState state) {
        double[] validation = state.epochs.stream().mapToDouble(e -> e.validationAccuracy).toArray();
        double[] test = state.epochs.stream().mapToDouble(e -> e.testAccuracy).toArray();
        return new AccuracyChart(String.format(Locale.ROOT, "accuracy after each epoch (batch size %d, shifts up to %d px)",
                batchSize, maxShift))
                .series("validation", validation).series("test", test).render();
    }

    /** Accuracy of the network on {@code data}, NaN without data. */
    private static double accuracy(ComputationGraph network, IdxDataset data) {
        return data == null ? Double.NaN : CapsNetEvaluator.evaluate(network, data, EVALUATION_BATCH).accuracy();
    }

    private static void save(RunFolder folder, ComputationGraph network, TrainingState state) throws IOException {
        try {
            Checkpoint.write(network, state, folder.checkpoint());
            AtomicFiles.replace(folder.stateCopy(), file -> Files.write(file, state.toJson()));
        } catch (IOException e) {
            if (e instanceof TrainingException) {
                throw e;
            }
            throw new TrainingException("Could not write the checkpoint in " + folder.path() + " (" + e + "); the checkpoint"
                    + " there before, if any, is intact", "free disk space or fix the folder, then run again (with --resume if"
                    + " there is a checkpoint)", e);
        }
    }

    /** Keeps the checkpoint just written as epochs/epoch-NNN.zip: a hard link costs no space, a copy where links are impossible. */
    private static void keepEpoch(RunFolder folder, int epoch) throws IOException {
        Path kept = folder.epochCheckpoint(epoch);
        Files.createDirectories(kept.getParent());
        Files.deleteIfExists(kept);
        try {
            Files.createLink(kept, folder.checkpoint());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(folder.checkpoint(), kept);
        }
    }

    /** A finished training run. */
    public static final class Result {
        private final ComputationGraph network;
        private final TrainingState state;

        Result(ComputationGraph network, TrainingState state) {
            this.network = network;
            this.state = state;
        }

        public ComputationGraph network() {
            return network;
        }

        public TrainingState state() {
            return state;
        }
    }
}
