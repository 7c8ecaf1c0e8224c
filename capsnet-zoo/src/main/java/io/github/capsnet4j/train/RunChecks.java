package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.zoo.CapsNetGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.Arrays;
import java.util.Locale;

/**
 * The checks of a training run's data and network that would otherwise fail only after an epoch (or, for
 * empty data, not at all but with NaN losses and an untrained model): run before the first training step.
 */
final class RunChecks {

    private static final String FIX_DATA = "use the training, validation and test splits of one data set";
    private static final String FIX_NETWORK = "build the network for the data (CapsNetMnist.builder().inputShape(...).numClasses(...)),"
            + " or use data of the kind the network was built for";

    private RunChecks() {
    }

    /**
     * Checks that the splits are non-empty and alike (image size, classes), and that {@code maxShift} fits the images.
     *
     * @param validation may be {@code null}
     * @param test       may be {@code null}
     * @throws TrainingException naming the split and the problem otherwise
     */
    static void checkData(IdxDataset train, IdxDataset validation, IdxDataset test, int maxShift) throws TrainingException {
        if (train == null || train.size() == 0) {
            throw new TrainingException("The training split is empty: training on it would give NaN losses and an untrained"
                    + " model", "give training data with at least one example");
        }
        checkLike("validation", validation, train);
        checkLike("test", test, train);
        int side = Math.min(train.rows(), train.columns());
        if (maxShift >= side) {
            throw new TrainingException(String.format(Locale.ROOT, "The max shift of %d pixels would move %dx%d images out of"
                    + " the picture", maxShift, train.rows(), train.columns()), "use a max shift of 0.." + (side - 1)
                    + " pixels (the paper: 2)");
        }
    }

    private static void checkLike(String name, IdxDataset split, IdxDataset train) throws TrainingException {
        if (split == null) {
            return;
        }
        if (split.size() == 0) {
            throw new TrainingException("The " + name + " split is empty, so it cannot be evaluated after each epoch",
                    "give " + name + " data with at least one example");
        }
        if (split.rows() != train.rows() || split.columns() != train.columns()) {
            throw new TrainingException(String.format(Locale.ROOT, "The %s images are %dx%d pixels but the training images"
                    + " %dx%d", name, split.rows(), split.columns(), train.rows(), train.columns()), FIX_DATA);
        }
        if (split.numClasses() != train.numClasses()) {
            throw new TrainingException(String.format(Locale.ROOT, "The %s split has %d classes but the training split %d",
                    name, split.numClasses(), train.numClasses()), FIX_DATA);
        }
    }

    /**
     * Checks that the network takes the data's images and gives one capsule length per class: by its shape if it is
     * a CapsNet as {@link CapsNetGraph} describes it, and in any case with a forward pass of one training example.
     *
     * @throws TrainingException saying what does not fit otherwise
     */
    static void checkNetwork(ComputationGraph network, IdxDataset train) throws TrainingException {
        if (!finite(network.params())) {
            throw new TrainingException("The network's weights contain NaN or infinite values, so training cannot improve it",
                    "start from another network or checkpoint");
        }
        int[] image = imageShape(network);
        if (image != null && (image[1] != train.rows() || image[2] != train.columns() || image[0] != 1
                || CapsNetGraph.numClasses(network) != train.numClasses())) {
            throw new TrainingException(String.format(Locale.ROOT, "The network takes %dx%dx%d images of %d classes but the data"
                            + " has %dx%dx1 images of %d classes", image[1], image[2], image[0], CapsNetGraph.numClasses(network),
                    train.rows(), train.columns(), train.numClasses()), FIX_NETWORK);
        }
        INDArray lengths;
        try {
            INDArray oneImage = train.batch(new int[1], new int[1], new int[1]).getFeatures();
            lengths = network.output(false, CapsNetGraph.inferenceInputs(network, oneImage.castTo(network.params().dataType())))[0];
        } catch (RuntimeException e) {
            throw new TrainingException(String.format(Locale.ROOT, "The network cannot process the %dx%d training images (%s)",
                    train.rows(), train.columns(), e.getMessage()), FIX_NETWORK, e);
        }
        if (lengths.rank() != 2 || lengths.size(1) != train.numClasses()) {
            throw new TrainingException(String.format(Locale.ROOT, "The network gives outputs of shape %s per batch but the data"
                    + " has %d classes", Arrays.toString(lengths.shape()), train.numClasses()), FIX_NETWORK);
        }
    }

    /** {@code {channels, height, width}} of a CapsNet as {@link CapsNetGraph} describes it, or {@code null} for another graph. */
    private static int[] imageShape(ComputationGraph network) {
        try {
            CapsNetGraph.check(network);
            return CapsNetGraph.imageShape(network);
        } catch (IllegalArgumentException notACapsNet) {
            return null;
        }
    }

    /** Whether every value is a finite number. */
    static boolean finite(INDArray values) {
        return !BooleanIndexing.or(values, Conditions.isNan()) && !BooleanIndexing.or(values, Conditions.isInfinite());
    }
}
