package io.github.capsnet4j.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J {@link DataSetIterator} over an {@link IdxDataset}, with the CapsNet paper's training
 * regime: the examples reshuffled every epoch and every image shifted at random by up to
 * {@code maxShift} pixels in each direction, with zero padding (the paper uses 2).
 *
 * <p>Batches are plain {@link DataSet}s: features {@code [batch, 1, rows, columns]} in 0..1 and
 * one-hot labels {@code [batch, numClasses]}; the last batch of an epoch may be smaller.
 *
 * <p>Everything random is reproducible: epoch {@code e} (the number of {@link #reset()} calls
 * since construction) draws its order and its shifts from {@code new SplittableRandom(seed + e)},
 * so the same seed gives the same batches, epoch by epoch. For evaluation use
 * {@link #forEvaluation}: file order, no shifts.
 */
public class CapsNetDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    /** The paper's augmentation: shifts of up to 2 pixels in each direction. */
    public static final int PAPER_MAX_SHIFT = 2;

    private final IdxDataset data;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final int maxShift;
    private DataSetPreProcessor preProcessor;

    private int epoch;
    private SplittableRandom random;
    private int[] order;
    private int cursor;

    /**
     * @param data      the examples
     * @param batchSize examples per batch, at least 1
     * @param seed      seed of the per-epoch shuffling and shifting
     * @param shuffle   whether each epoch visits the examples in a fresh random order
     * @param maxShift  largest translation in pixels, per axis and direction; 0 for none
     */
    public CapsNetDataSetIterator(IdxDataset data, int batchSize, long seed, boolean shuffle, int maxShift) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (maxShift < 0 || maxShift >= Math.min(data.rows(), data.columns())) {
            throw new IllegalArgumentException("maxShift must be 0.." + (Math.min(data.rows(), data.columns()) - 1)
                    + " pixels, got " + maxShift);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.maxShift = maxShift;
        startEpoch();
    }

    /** Training as in the paper: shuffled every epoch, shifts of up to 2 pixels. */
    public static CapsNetDataSetIterator forTraining(IdxDataset data, int batchSize, long seed) {
        return new CapsNetDataSetIterator(data, batchSize, seed, true, PAPER_MAX_SHIFT);
    }

    /** Evaluation: every example once, in file order, unshifted. */
    public static CapsNetDataSetIterator forEvaluation(IdxDataset data, int batchSize) {
        return new CapsNetDataSetIterator(data, batchSize, 0, false, 0);
    }

    private void startEpoch() {
        random = new SplittableRandom(seed + epoch);
        order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        cursor = 0;
    }

    /** The current epoch: 0 after construction, one more after each {@link #reset()}. */
    public int epoch() {
        return epoch;
    }

    /** Number of examples in one epoch. */
    public int totalExamples() {
        return data.size();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (num < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + num);
        }
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is over; call reset() to start the next");
        }
        int n = Math.min(num, order.length - cursor);
        int[] examples = new int[n];
        int[] shiftRows = new int[n];
        int[] shiftColumns = new int[n];
        for (int i = 0; i < n; i++) {
            examples[i] = order[cursor + i];
            shiftRows[i] = randomShift();
            shiftColumns[i] = randomShift();
        }
        cursor += n;
        DataSet batch = data.batch(examples, shiftRows, shiftColumns);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** A shift uniform in {@code -maxShift..maxShift}; always 0, drawing nothing, when shifts are off. */
    private int randomShift() {
        return maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
    }

    @Override
    public int inputColumns() {
        return data.rows() * data.columns();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Starts the next epoch, with a new order and new shifts if those are on. */
    @Override
    public void reset() {
        epoch++;
        startEpoch();
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return data.labelNames();
    }
}
