package io.github.capsnet4j.zoo;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads a saved CapsNet (a DL4J {@code ModelSerializer} zip such as a training run's {@code model.zip} or
 * {@code checkpoint.zip}) with clear errors: {@code ModelSerializer} itself reports a missing or non-zip file
 * with obscure exceptions, so the file is checked first and any failure names the file and the fix.
 */
public final class ModelFiles {

    private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final String FIX = " Fix: pass a model saved by DL4J's ModelSerializer, e.g. the model.zip or checkpoint.zip"
            + " in the output directory of 'capsnet4j train'.";

    private ModelFiles() {
    }

    /**
     * The network in {@code file}, without updater state.
     *
     * @throws IOException if the file is missing, unreadable, not a zip or not a DL4J ComputationGraph
     */
    public static ComputationGraph load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("Model file " + file.toAbsolutePath() + " does not exist." + FIX);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("Model file " + file.toAbsolutePath() + " is not a readable file." + FIX);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(ZIP_MAGIC.length);
        }
        if (!Arrays.equals(head, ZIP_MAGIC)) {
            throw new IOException("Model file " + file.toAbsolutePath() + " is not a zip archive, so not a saved model." + FIX);
        }
        try {
            ComputationGraph network = ModelSerializer.restoreComputationGraph(file.toFile(), false);
            log.info("Loaded {} ({} parameters)", file, network.numParams());
            return network;
        } catch (IOException | RuntimeException e) {
            throw new IOException("Model file " + file.toAbsolutePath() + " could not be read as a DL4J ComputationGraph ("
                    + e + ")." + FIX, e);
        }
    }
}
