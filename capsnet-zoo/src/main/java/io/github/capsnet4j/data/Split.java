package io.github.capsnet4j.data;

import java.util.Locale;

/**
 * Which part of a data set to load. A data set is a pair of IDX files for training and a pair for testing,
 * named by the MNIST convention ({@code train-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each
 * optionally with {@code .gz}); the validation examples are carved out of the training files:
 * <ul>
 * <li>{@link #TRAIN}: the training files without their last twelfth (55,000 of MNIST's 60,000 digits);</li>
 * <li>{@link #VALIDATION}: the last twelfth of the training files (MNIST's digits 55,000..59,999), for choosing
 * epochs and learning-rate schedules so that the test examples never steer a choice;</li>
 * <li>{@link #TEST}: the test files (MNIST's official 10,000 test digits).</li>
 * </ul>
 */
public enum Split {
    TRAIN("train"),
    VALIDATION("train"),
    TEST("t10k");

    /** The validation split is the last {@code 1 / VALIDATION_DIVISOR} of the training files. */
    public static final int VALIDATION_DIVISOR = 12;

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
     * This split's examples out of its pair of files: all of a test file; the first or the last
     * {@code fileData.size() / 12} of a training file.
     *
     * @throws IdxFormatException if the training file is too small to set a validation split apart
     */
    public IdxDataset select(IdxDataset fileData, String source) throws IdxFormatException {
        if (this == TEST) {
            return fileData;
        }
        int validation = fileData.size() / VALIDATION_DIVISOR;
        if (validation == 0) {
            throw new IdxFormatException(source, "the training file has only " + fileData.size() + " examples, too few to set the"
                    + " last twelfth apart for validation", "use a training file with at least " + VALIDATION_DIVISOR + " examples");
        }
        int train = fileData.size() - validation;
        return this == TRAIN ? fileData.range(0, train) : fileData.range(train, fileData.size());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
