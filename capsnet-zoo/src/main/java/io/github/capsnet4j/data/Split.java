package io.github.capsnet4j.data;

import java.util.Locale;

/**
 * Which part of a data set to load: the training or the test examples. Each part is a pair of
 * IDX files whose names follow the MNIST convention, e.g. {@code train-images-idx3-ubyte} and
 * {@code t10k-labels-idx1-ubyte}, optionally with {@code .gz}.
 */
public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
        this.filePrefix = filePrefix;
    }

    /** The images file's name without {@code .gz}, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFileName() {
        return filePrefix + "-images-idx3-ubyte";
    }

    /** The labels file's name without {@code .gz}, e.g. {@code t10k-labels-idx1-ubyte}. */
    public String labelsFileName() {
        return filePrefix + "-labels-idx1-ubyte";
    }

    /**
     * Parses {@code "train"} or {@code "test"} (any case), e.g. from a command line.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Split parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "train":
                return TRAIN;
            case "test":
                return TEST;
            default:
                throw new IllegalArgumentException("unknown split '" + name + "': use 'train' or 'test'");
        }
    }
}
