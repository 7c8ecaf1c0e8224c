package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.Checksums;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The pretrained MNIST CapsNet shipped inside the capsnet-zoo jar: {@value #WEIGHTS} (a zip holding the
 * parameter vector as {@code ModelSerializer} stores it, {@value #PARAMETERS_ENTRY}) and {@value #CHECKSUM}, its
 * SHA-256 in hex. Loading never touches the network; the checksum is verified before the model is read.
 *
 * <p>Only the file's parameter vector is used: it is loaded into the network that {@link CapsNetMnist}'s
 * default configuration builds (the same parameter layout), so the pretrained model runs this jar's layers.
 */
public final class PretrainedWeights {

    static final String WEIGHTS = "/io/github/capsnet4j/zoo/pretrained/capsnet-mnist.zip";
    static final String CHECKSUM = WEIGHTS + ".sha256";
    private static final String PARAMETERS_ENTRY = "coefficients.bin";

    private PretrainedWeights() {
    }

    static boolean available(PretrainedType type) {
        return type == PretrainedType.MNIST && PretrainedWeights.class.getResource(WEIGHTS) != null;
    }

    static String resourceUrl(PretrainedType type) {
        URL url = type == PretrainedType.MNIST ? PretrainedWeights.class.getResource(WEIGHTS) : null;
        return url == null ? null : url.toString();
    }

    /** Loads the pretrained network after verifying its SHA-256. */
    public static ComputationGraph load(PretrainedType type) throws IOException {
        if (type != PretrainedType.MNIST) {
            throw new UnsupportedOperationException("CapsNetMnist has pretrained weights for PretrainedType.MNIST only, not " + type);
        }
        return restore(read(WEIGHTS), new String(read(CHECKSUM), StandardCharsets.US_ASCII), WEIGHTS);
    }

    /**
     * Restores a network from {@code weights} after checking them against {@code checksumLine} (a SHA-256 in hex,
     * optionally followed by a file name, as {@code sha256sum} writes it).
     *
     * @throws IOException naming {@code source} and the fix if the checksum differs
     */
    static ComputationGraph restore(byte[] weights, String checksumLine, String source) throws IOException {
        String expected = checksumLine.trim().split("\\s+")[0];
        String actual = Checksums.sha256(weights);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("Pretrained weights " + source + " are corrupt: SHA-256 " + actual + " but expected " + expected
                    + ". Fix: rebuild capsnet-zoo from a clean checkout (a partial download or a Git LFS pointer may have replaced it).");
        }
        INDArray parameters = coefficients(weights, source);
        ComputationGraph network = new ComputationGraph(CapsNetMnist.builder().build().conf());
        try {
            network.init(parameters.reshape(1, parameters.length()), false);   // the file's values, no random init first
        } catch (IllegalArgumentException e) {
            throw new IOException("Pretrained weights " + source + " hold " + parameters.length() + " parameters, which do not fit"
                    + " CapsNetMnist (" + e.getMessage() + "). Fix: rebuild capsnet-zoo from a clean checkout.", e);
        }
        return network;
    }

    /** The parameter vector that ModelSerializer stores as {@value #PARAMETERS_ENTRY} in its zip. */
    private static INDArray coefficients(byte[] zip, String source) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(PARAMETERS_ENTRY)) {
                    return Nd4j.read(new DataInputStream(in));
                }
            }
        }
        throw new IOException("Pretrained weights " + source + " hold no " + PARAMETERS_ENTRY
                + ", so they are not a ModelSerializer zip. Fix: rebuild capsnet-zoo from a clean checkout.");
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = PretrainedWeights.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Pretrained weights resource " + resource + " is missing from the classpath."
                        + " Fix: put the capsnet-zoo jar (not only capsnet-layers) on the classpath, or rebuild it from a clean checkout.");
            }
            return in.readAllBytes();
        }
    }
}
