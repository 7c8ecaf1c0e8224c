package io.github.capsnet4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled image data set held in memory as the raw bytes of its IDX files, checked for
 * consistency: as many labels as images, every label in {@code 0..numClasses-1}.
 *
 * <p>It turns any selection of examples into a DL4J {@link DataSet}: features as a float
 * {@code [n, 1, rows, columns]} array (NCHW, one grey channel, values scaled to 0..1) and labels
 * as a one-hot {@code [n, numClasses]} array. Keeping bytes rather than floats needs a quarter
 * of the memory; {@link CapsNetDataSetIterator} builds its batches this way.
 */
public final class IdxDataset {

    private static final Logger log = LoggerFactory.getLogger(IdxDataset.class);

    private final IdxImages images;
    private final IdxLabels labels;
    private final int numClasses;
    private final List<String> labelNames;

    private IdxDataset(IdxImages images, IdxLabels labels, int numClasses, List<String> labelNames) {
        this.images = images;
        this.labels = labels;
        this.numClasses = numClasses;
        this.labelNames = labelNames;
    }

    /**
     * Loads one split from a directory holding MNIST-style IDX files, plain or gzip-compressed
     * (see {@link Split} for the names and how the validation split is carved out of the training files),
     * e.g. {@code /usr/share/datasets/fashion-mnist}.
     *
     * @param numClasses the number of classes; labels must lie in {@code 0..numClasses-1}
     * @throws IdxFormatException if a file is missing, malformed or inconsistent with the other
     */
    public static IdxDataset load(Path directory, Split split, int numClasses) throws IOException {
        Path imagesFile = IdxDirectory.locate(directory, split.imagesFileName());
        Path labelsFile = IdxDirectory.locate(directory, split.labelsFileName());
        String source = imagesFile + " with " + labelsFile.getFileName();
        IdxDataset data = split.select(of(IdxReader.readImages(imagesFile), IdxReader.readLabels(labelsFile), numClasses, source),
                source);
        log.info("Loaded {} {} examples of {}x{} pixels from {}", data.size(), split, data.rows(), data.columns(),
                directory);
        return data;
    }

    /**
     * Pairs images with their labels, named {@code "0"} to {@code numClasses-1}.
     *
     * @param source names where the data came from, for error messages
     * @throws IdxFormatException if the counts differ or a label is outside {@code 0..numClasses-1}
     */
    public static IdxDataset of(IdxImages images, IdxLabels labels, int numClasses, String source)
            throws IdxFormatException {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be 1..256 (IDX labels are bytes), got " + numClasses);
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException(source, "image/label count mismatch: " + images.count()
                    + " images but " + labels.count() + " labels",
                    "use the images and labels files of the same split and release of the data set");
        }
        for (int i = 0; i < labels.count(); i++) {
            if (labels.label(i) >= numClasses) {
                throw new IdxFormatException(source, "label " + labels.label(i) + " of example " + i
                        + " is outside 0.." + (numClasses - 1),
                        "pass the data set's real number of classes, or correct the labels file");
            }
        }
        return new IdxDataset(images, labels, numClasses, defaultLabelNames(numClasses));
    }

    /**
     * The same data with other class names, e.g. Fashion-MNIST's {@code "T-shirt/top"},
     * {@code "Trouser"}, ... for display; {@link CapsNetDataSetIterator#getLabels()} returns them.
     */
    public IdxDataset withLabelNames(List<String> names) {
        if (names.size() != numClasses) {
            throw new IllegalArgumentException(names.size() + " label names for " + numClasses + " classes. Fix: pass one name per"
                    + " class, in the order of the class numbers 0.." + (numClasses - 1) + ".");
        }
        return new IdxDataset(images, labels, numClasses, List.copyOf(names));
    }

    /**
     * The first {@code count} examples. MNIST's files are not sorted by class, so the first few hundred digits of
     * a split are a fair sample of it (each class makes up 8 % to 14 % of the first 500 training or test digits).
     */
    public IdxDataset head(int count) {
        if (count < 1 || count > size()) {
            throw new IllegalArgumentException("head(" + count + "): the data set has " + size() + " examples");
        }
        return range(0, count);
    }

    /** The examples {@code from} (inclusive) to {@code to} (exclusive), in file order. */
    public IdxDataset range(int from, int to) {
        if (from < 0 || from > to || to > size()) {
            throw new IllegalArgumentException("range(" + from + ", " + to + "): the data set has " + size() + " examples");
        }
        int imageSize = images.imageSize();
        IdxImages part = new IdxImages(to - from, rows(), columns(),
                Arrays.copyOfRange(images.pixels(), from * imageSize, to * imageSize));
        return new IdxDataset(part, new IdxLabels(Arrays.copyOfRange(labels.bytes(), from, to)), numClasses, labelNames);
    }

    private static List<String> defaultLabelNames(int numClasses) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            names.add(Integer.toString(c));
        }
        return Collections.unmodifiableList(names);
    }

    /** Number of examples. */
    public int size() {
        return images.count();
    }

    /** Image height in pixels. */
    public int rows() {
        return images.rows();
    }

    /** Image width in pixels. */
    public int columns() {
        return images.columns();
    }

    public int numClasses() {
        return numClasses;
    }

    /** Class names, index = label; {@code "0"}, {@code "1"}, ... unless set otherwise. */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The class 0..numClasses-1 of one example. */
    public int label(int example) {
        return labels.label(example);
    }

    /** How many examples each class has, index = label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = 0; i < size(); i++) {
            counts[label(i)]++;
        }
        return counts;
    }

    /** The raw images. */
    public IdxImages images() {
        return images;
    }

    /** All examples, in file order, untranslated. */
    public DataSet toDataSet() {
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return batch(all, new int[all.length], new int[all.length]);
    }

    /**
     * The chosen examples as a DataSet, each image translated by its own shift with zero padding
     * (see {@link IdxImages#copyScaled}).
     *
     * @param examples     indices of the examples, in the order wanted
     * @param shiftRows    per example, pixels to move the image down (negative: up)
     * @param shiftColumns per example, pixels to move the image right (negative: left)
     * @return features {@code [n, 1, rows, columns]} in 0..1 and one-hot labels {@code [n, numClasses]}
     */
    public DataSet batch(int[] examples, int[] shiftRows, int[] shiftColumns) {
        int n = examples.length;
        int imageSize = images.imageSize();
        float[] features = new float[n * imageSize];
        float[] oneHot = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            images.copyScaled(examples[i], features, i * imageSize, shiftRows[i], shiftColumns[i]);
            oneHot[i * numClasses + label(examples[i])] = 1f;
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, 1, rows(), columns()}, DataType.FLOAT),
                Nd4j.create(oneHot, new long[] {n, numClasses}, DataType.FLOAT));
    }
}
