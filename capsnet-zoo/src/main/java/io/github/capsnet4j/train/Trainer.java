package io.github.capsnet4j.train;

import io.github.capsnet4j.data.CapsNetDataSetIterator;
import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.zoo.CapsNetEvaluator;
import io.github.capsnet4j.zoo.CapsNetGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Trains a CapsNet epoch by epoch with a checkpoint after every epoch, so that an interrupted run (Ctrl-C,
 * kill, power loss) loses at most the epoch in progress and continues with {@code resume}.
 *
 * <p>Files in the run directory: {@value #CHECKPOINT} (network and updater state, written atomically),
 * {@value #STATE} ({@link TrainingState}: settings and per-epoch loss, test accuracy and time) and, at the
 * end, {@value #MODEL} (the network without updater state, for evaluation and sharing).
 *
 * <p>Deterministic for a given seed: it fixes the initial weights, and epoch e shuffles and shifts the
 * training data with seed + e, also when resumed.
 */
public final class Trainer {

    public static final String CHECKPOINT = "checkpoint.zip";
    public static final String STATE = "training-state.json";
    public static final String MODEL = "model.zip";

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final Path runDirectory;
    private final int batchSize;
    private final long seed;
    private final int maxShift;

    /**
     * @param runDirectory where checkpoints go (created if missing)
     * @param batchSize    examples per step
     * @param seed         seed of the data order and shifts (the network's initial weights come from its own seed)
     * @param maxShift     random translation in pixels for training (paper: 2; 0 for none)
     */
    public Trainer(Path runDirectory, int batchSize, long seed, int maxShift) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.runDirectory = runDirectory;
        this.batchSize = batchSize;
        this.seed = seed;
        this.maxShift = maxShift;
    }

    /**
     * Trains until {@code epochs} epochs are done in total.
     *
     * @param newNetwork creates the untrained network (not called when resuming)
     * @param resume     continue from the run directory's checkpoint; without it an existing checkpoint is an error
     * @return the trained network and its history
     */
    public Result train(Supplier<ComputationGraph> newNetwork, IdxDataset train, IdxDataset test, int epochs, boolean resume)
            throws IOException {
        Files.createDirectories(runDirectory);
        Path checkpoint = runDirectory.resolve(CHECKPOINT);
        Path stateFile = runDirectory.resolve(STATE);
        ComputationGraph network;
        TrainingState state;
        if (Files.exists(checkpoint)) {
            if (!resume) {
                throw new IllegalStateException("A training checkpoint already exists in " + runDirectory
                        + ". Fix: add --resume to continue it, or choose another output directory.");
            }
            state = TrainingState.read(stateFile);
            if (state.batchSize != batchSize || state.seed != seed) {
                throw new IllegalArgumentException("The checkpoint in " + runDirectory + " was trained with batch size " + state.batchSize
                        + " and seed " + state.seed + "; resume it with the same settings (got " + batchSize + ", " + seed + ").");
            }
            network = ModelSerializer.restoreComputationGraph(checkpoint.toFile(), true);
            log.info("Resuming {} after epoch {} of {}", runDirectory, state.epochsDone(), epochs);
        } else {
            network = newNetwork.get();
            state = new TrainingState();
            state.seed = seed;
            state.batchSize = batchSize;
        }
        boolean decoder = CapsNetGraph.hasDecoder(network);
        for (int epoch = state.epochsDone(); epoch < epochs; epoch++) {
            CapsNetDataSetIterator batches = new CapsNetDataSetIterator(train, batchSize, seed + epoch, true, maxShift);
            long steps = (train.size() + batchSize - 1) / batchSize;
            ProgressBar progress = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), steps);
            double lossSum = 0;
            long step = 0;
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                network.fit(CapsNetGraph.trainingBatch(batch, decoder));
                lossSum += network.score();
                step++;
                progress.update(step, String.format(Locale.ROOT, "loss %.4f", lossSum / step));
            }
            network.incrementEpochCount();                                  // drives the per-epoch learning-rate decay
            double seconds = progress.elapsedSeconds();
            double accuracy = test == null ? Double.NaN : CapsNetEvaluator.evaluate(network, test, 128).accuracy();
            state.epochs.add(new TrainingState.Epoch(epoch + 1, lossSum / step, accuracy, seconds));
            writeAtomically(network, checkpoint, true);
            state.write(stateFile);
            log.info(String.format(Locale.ROOT, "epoch %d/%d: mean loss %.4f, test accuracy %.4f, %.0f s (checkpoint saved)",
                    epoch + 1, epochs, lossSum / step, accuracy, seconds));
        }
        writeAtomically(network, runDirectory.resolve(MODEL), false);
        return new Result(network, state);
    }

    private static void writeAtomically(ComputationGraph network, Path file, boolean withUpdater) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        ModelSerializer.writeModel(network, temporary.toFile(), withUpdater);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
