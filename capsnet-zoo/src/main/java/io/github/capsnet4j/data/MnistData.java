package io.github.capsnet4j.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Where to get MNIST-like data from, in one place:
 * <ul>
 * <li>{@link #official}: the original MNIST (LeCun, Cortes and Burges), 60,000 training and 10,000 test
 * digits, shipped inside this jar (see {@code mnist/PROVENANCE.md} beside this class) and checked against
 * their SHA-256 checksums when read; works offline. The training files are split 55,000 train / 5,000
 * validation as {@link Split} describes;</li>
 * <li>{@link #fromDirectory}: MNIST-style IDX files on disk, e.g. Fashion-MNIST
 * ({@code /usr/share/datasets/fashion-mnist} from Debian's {@code dataset-fashion-mnist}) or one's own
 * data, split the same way;</li>
 * <li>{@link #full}: DL4J's own iterator over MNIST, downloaded on first use (needs a network connection
 * once).</li>
 * </ul>
 */
public final class MnistData {

    /** MNIST has the ten digits 0..9. */
    public static final int NUM_CLASSES = 10;
    /** MNIST images are 28 x 28 pixels. */
    public static final int IMAGE_SIDE = 28;

    private static final String OFFICIAL_DIRECTORY = "mnist/";
    /** sha256sum's output for the uncompressed files: independent of the zlib that compressed them. */
    private static final String CHECKSUMS = OFFICIAL_DIRECTORY + "SHA256SUMS";
    private static final String REBUILD = "use an unmodified capsnet-zoo jar (rebuild it with Maven from a clean checkout)";

    private MnistData() {
    }

    /**
     * One split of the official MNIST: 55,000 ({@code TRAIN}), 5,000 ({@code VALIDATION}, the training
     * file's digits 55,000..59,999) or 10,000 ({@code TEST}, the official test set) digits.
     *
     * @throws IdxFormatException if a bundled file is missing or does not match its checksum
     */
    public static IdxDataset official(Split split) throws IOException {
        Map<String, String> checksums = checksums();
        String imagesName = OFFICIAL_DIRECTORY + split.imagesFileName();
        String labelsName = OFFICIAL_DIRECTORY + split.labelsFileName();
        IdxImages images = IdxReader.readImages(verifiedResource(imagesName, checksums), imagesName);
        IdxLabels labels = IdxReader.readLabels(verifiedResource(labelsName, checksums), labelsName);
        String source = "official MNIST (" + imagesName + ".gz)";
        return split.select(IdxDataset.of(images, labels, NUM_CLASSES, source), source);
    }

    /** The uncompressed bytes of the bundled {@code name.gz}, after checking them against {@code SHA256SUMS}. */
    private static InputStream verifiedResource(String name, Map<String, String> checksums) throws IOException {
        String resource = name + ".gz";
        try (InputStream gzipped = resource(resource)) {
            return verified(gzipped, resourceDescription(resource), checksums.get(name.substring(OFFICIAL_DIRECTORY.length())));
        }
    }

    /**
     * Decompresses {@code gzipped} and checks the content's SHA-256.
     *
     * @throws IdxFormatException naming {@code source} if the gzip data is corrupt or the checksum differs
     */
    static InputStream verified(InputStream gzipped, String source, String expectedSha256) throws IOException {
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(gzipped)) {
            bytes = in.readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(source, "the gzip data is corrupt (" + e.getMessage() + ")", REBUILD);
        }
        String actual = Checksums.sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new IdxFormatException(source, "its content has SHA-256 " + actual + ", but " + CHECKSUMS + " expects "
                    + expectedSha256, REBUILD);
        }
        return new ByteArrayInputStream(bytes);
    }

    /** File name (without {@code .gz}) to the SHA-256 of its uncompressed content. */
    private static Map<String, String> checksums() throws IOException {
        Map<String, String> checksums = new HashMap<>();
        try (InputStream in = resource(CHECKSUMS)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 2) {
                    checksums.put(fields[1], fields[0]);
                }
            }
        }
        return checksums;
    }

    private static InputStream resource(String name) throws IdxFormatException {
        InputStream in = MnistData.class.getResourceAsStream(name);
        if (in == null) {
            throw new IdxFormatException(resourceDescription(name), "not found", REBUILD);
        }
        return in;
    }

    private static String resourceDescription(String name) {
        return "classpath resource " + name + " beside " + MnistData.class.getName();
    }

    /**
     * One split of a ten-class data set stored as MNIST-style IDX files in {@code directory}
     * (plain or gzip-compressed; see {@link Split} for the names and the validation split).
     */
    public static IdxDataset fromDirectory(Path directory, Split split) throws IOException {
        return IdxDataset.load(directory, split, NUM_CLASSES);
    }

    /**
     * DL4J's iterator over the full MNIST (60,000 train / 10,000 test digits, shuffled with
     * {@code seed}), downloading it to {@code ~/.deeplearning4j/data/MNIST} on first use. Its
     * features are reshaped to {@code [batch, 1, 28, 28]} by a {@link ReshapeToImagePreProcessor};
     * setting another pre-processor replaces that. It does not shift images and has no validation split;
     * {@link #official} has the same digits offline.
     *
     * @param split {@code TRAIN} or {@code TEST}
     */
    public static DataSetIterator full(Split split, int batchSize, int seed) throws IOException {
        if (split == Split.VALIDATION) {
            throw new IllegalArgumentException("DL4J's MNIST iterator has no validation split: use MnistData.official(Split.VALIDATION)");
        }
        DataSetIterator iterator = new MnistDataSetIterator(batchSize, split == Split.TRAIN, seed);
        iterator.setPreProcessor(new ReshapeToImagePreProcessor(IMAGE_SIDE, IMAGE_SIDE));
        return iterator;
    }
}
