package io.github.capsnet4j.zoo;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The pretrained MNIST CapsNet shipped inside the capsnet-zoo jar: {@value #WEIGHTS} (a
 * {@code ModelSerializer} zip without updater state) and {@value #CHECKSUM}, its SHA-256 in hex. Loading
 * never touches the network; the checksum is verified before the model is read.
 */
public final class PretrainedWeights {

    static final String WEIGHTS = "/io/github/capsnet4j/zoo/pretrained/capsnet-mnist.zip";
    static final String CHECKSUM = WEIGHTS + ".sha256";

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
        String actual = sha256(weights);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("Pretrained weights " + source + " are corrupt: SHA-256 " + actual + " but expected " + expected
                    + ". Fix: rebuild capsnet-zoo from a clean checkout (a partial download or a Git LFS pointer may have replaced it).");
        }
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(weights), false);
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

    /** SHA-256 of {@code bytes} in lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
