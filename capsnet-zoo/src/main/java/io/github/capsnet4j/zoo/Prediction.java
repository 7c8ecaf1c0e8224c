package io.github.capsnet4j.zoo;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;
import java.util.Optional;

/**
 * What a CapsNet says about one image (paper section 2): the length of each digit capsule is the probability
 * that its digit is present, the longest capsule is the prediction, and that capsule's 16 dimensions encode
 * the digit's instantiation parameters (stroke, width, skew ...), which the decoder turns back into a picture.
 *
 * <p>The probabilities are independent per class (margin loss, eq. 4), so they need not sum to 1.
 */
public final class Prediction {

    private final int predictedClass;
    private final INDArray probabilities;
    private final INDArray capsule;
    private final INDArray reconstruction;

    Prediction(int predictedClass, INDArray probabilities, INDArray capsule, INDArray reconstruction) {
        this.predictedClass = predictedClass;
        this.probabilities = probabilities;
        this.capsule = capsule;
        this.reconstruction = reconstruction;
    }

    /** The class of the longest digit capsule. */
    public int predictedClass() {
        return predictedClass;
    }

    /** Length of the predicted class's capsule, in 0..1. */
    public double probability() {
        return probabilities.getDouble(predictedClass);
    }

    /** Capsule lengths {@code [classes]}, each in 0..1. */
    public INDArray probabilities() {
        return probabilities;
    }

    /** The predicted class's capsule {@code [capsuleDimension]} (16 for the paper's network). */
    public INDArray capsule() {
        return capsule;
    }

    /**
     * The decoder's picture {@code [height·width]} in 0..1, decoded from the predicted capsule; empty for a
     * network without decoder.
     */
    public Optional<INDArray> reconstruction() {
        return Optional.ofNullable(reconstruction);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Prediction{class=%d, probability=%.4f}", predictedClass, probability());
    }
}
