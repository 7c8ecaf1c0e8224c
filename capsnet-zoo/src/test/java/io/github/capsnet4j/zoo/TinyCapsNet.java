package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;

/** Small untrained CapsNets for fast tests: 16 convolution channels and 4×8-D primary capsules instead of 256 and 32×8-D. */
public final class TinyCapsNet {

    private TinyCapsNet() {
    }

    public static ComputationGraph network(boolean decoder) {
        return builder().decoder(decoder).build().init();
    }

    /** The builder of these networks, for further settings. */
    public static CapsNetMnist.Builder builder() {
        return CapsNetMnist.builder().convolutionChannels(16).primaryCapsules(4, 8);
    }

    /** The network saved with ModelSerializer (no updater) as {@code directory/name}. */
    public static Path saved(Path directory, String name, boolean decoder) throws IOException {
        Path file = directory.resolve(name);
        ModelSerializer.writeModel(network(decoder), file.toFile(), false);
        return file;
    }

    /** The first {@code count} official MNIST test digits, {@code [count, 1, 28, 28]} in 0..1. */
    public static INDArray testDigits(int count) throws IOException {
        IdxDataset test = MnistData.official(Split.TEST);
        int[] examples = new int[count];
        for (int i = 0; i < count; i++) {
            examples[i] = i;
        }
        return test.batch(examples, new int[count], new int[count]).getFeatures();
    }
}
