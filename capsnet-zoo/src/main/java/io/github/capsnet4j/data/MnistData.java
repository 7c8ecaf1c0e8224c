package io.github.capsnet4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Where to get MNIST-like data from, in one place:
 * <ul>
 * <li>{@link #bundled}: the 10,000 real MNIST digits shipped inside this jar (8,000 train /
 * 2,000 test; see {@code mnist-bundled/PROVENANCE.md} beside this class), works offline;</li>
 * <li>{@link #fromDirectory}: MNIST-style IDX files on disk, e.g. the full MNIST, Fashion-MNIST
 * ({@code /usr/share/datasets/fashion-mnist} from Debian's {@code dataset-fashion-mnist}) or one's
 * own data;</li>
 * <li>{@link #full}: DL4J's own iterator over the full 70,000-digit MNIST, downloaded on first
 * use (needs a network connection once).</li>
 * </ul>
 */
public final class MnistData {

    /** MNIST has the ten digits 0..9. */
    public static final int NUM_CLASSES = 10;
    /** MNIST images are 28 x 28 pixels. */
    public static final int IMAGE_SIDE = 28;

    private static final String BUNDLED_DIRECTORY = "mnist-bundled/";

    private MnistData() {
    }

    /** One split of the bundled MNIST subset: 8,000 ({@code TRAIN}) or 2,000 ({@code TEST}) digits. */
    public static IdxDataset bundled(Split split) throws IOException {
        String imagesName = BUNDLED_DIRECTORY + split.imagesFileName() + ".gz";
        String labelsName = BUNDLED_DIRECTORY + split.labelsFileName() + ".gz";
        IdxImages images;
        IdxLabels labels;
        try (InputStream in = resource(imagesName)) {
            images = IdxReader.readImages(in, imagesName);
        }
        try (InputStream in = resource(labelsName)) {
            labels = IdxReader.readLabels(in, labelsName);
        }
        return IdxDataset.of(images, labels, NUM_CLASSES, "bundled MNIST " + split);
    }

    private static InputStream resource(String name) throws IdxFormatException {
        InputStream in = MnistData.class.getResourceAsStream(name);
        if (in == null) {
            throw new IdxFormatException("classpath resource " + name + " beside " + MnistData.class.getName(),
                    "not found", "use a complete capsnet-zoo jar (rebuild it with Maven)");
        }
        return in;
    }

    /**
     * One split of a ten-class data set stored as MNIST-style IDX files in {@code directory}
     * (plain or gzip-compressed; see {@link Split} for the names).
     */
    public static IdxDataset fromDirectory(Path directory, Split split) throws IOException {
        return IdxDataset.load(directory, split, NUM_CLASSES);
    }

    /**
     * DL4J's iterator over the full MNIST (60,000 train / 10,000 test digits, shuffled with
     * {@code seed}), downloading it to {@code ~/.deeplearning4j/data/MNIST} on first use. Its
     * features are reshaped to {@code [batch, 1, 28, 28]} by a {@link ReshapeToImagePreProcessor};
     * setting another pre-processor replaces that. It does not shift images; for the paper's
     * augmentation, load the downloaded files with {@link #fromDirectory} and use a
     * {@link CapsNetDataSetIterator}.
     */
    public static DataSetIterator full(Split split, int batchSize, int seed) throws IOException {
        DataSetIterator iterator = new MnistDataSetIterator(batchSize, split == Split.TRAIN, seed);
        iterator.setPreProcessor(new ReshapeToImagePreProcessor(IMAGE_SIDE, IMAGE_SIDE));
        return iterator;
    }
}
