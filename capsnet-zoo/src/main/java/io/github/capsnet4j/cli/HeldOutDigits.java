package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.zoo.CapsNetPredictor;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.Locale;

/** The held-out (test split) examples the inference commands work on, checked against the network. */
final class HeldOutDigits {

    private HeldOutDigits() {
    }

    /**
     * The test split of {@code data}.
     *
     * @throws ParameterException if it cannot be read or its images or classes do not fit {@code predictor}
     */
    static IdxDataset load(DataOptions data, CapsNetPredictor predictor, CommandSpec command) {
        IdxDataset test;
        try {
            test = data.load(Split.TEST);
        } catch (IOException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
        if (test.rows() != predictor.imageHeight() || test.columns() != predictor.imageWidth() || predictor.imageChannels() != 1
                || test.numClasses() != predictor.numClasses()) {
            throw new ParameterException(command.commandLine(), String.format(Locale.ROOT, "The network takes %dx%dx%d images of %d classes,"
                            + " but %s has %dx%dx1 images of %d classes. Fix: use data of the kind the network was trained on.",
                    predictor.imageHeight(), predictor.imageWidth(), predictor.imageChannels(), predictor.numClasses(),
                    data.describe(), test.rows(), test.columns(), test.numClasses()));
        }
        return test;
    }

    /** The images of the given examples, {@code [n, 1, rows, columns]} in 0..1, unshifted. */
    static INDArray images(IdxDataset data, int... examples) {
        return data.batch(examples, new int[examples.length], new int[examples.length]).getFeatures();
    }

    /**
     * Checks that {@code index} is an example of {@code data}.
     *
     * @throws ParameterException naming {@code option} and the valid range otherwise
     */
    static void checkIndex(IdxDataset data, int index, String option, CommandSpec command) {
        if (index < 0 || index >= data.size()) {
            throw new ParameterException(command.commandLine(), option + " must be 0.." + (data.size() - 1)
                    + " (the held-out examples), got " + index);
        }
    }
}
