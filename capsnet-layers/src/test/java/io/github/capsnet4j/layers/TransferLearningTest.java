package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.TinyCapsNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's {@code TransferLearning.GraphBuilder} on a capsule graph ({@link TinyCapsNet}). It proves:
 * <ul>
 *   <li>{@code nOutReplace} on DigitCaps or PrimaryCaps fails with a message that says why and names the alternative
 *       (not DL4J's ClassCastException);</li>
 *   <li>{@code nOutReplace} on the Convolution before PrimaryCaps works as for DL4J's own layers: PrimaryCaps takes
 *       the new channel count, both are re-initialised, the layers after them keep their parameters, and the new
 *       graph trains.</li>
 * </ul>
 */
class TransferLearningTest {

    private static ComputationGraph tiny() {
        ComputationGraph network = new ComputationGraph(TinyCapsNet.configuration(DataType.FLOAT, 3));
        network.init();
        return network;
    }

    @Test
    void resizingDigitCapsFailsWithTheAlternative() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new TransferLearning.GraphBuilder(tiny()).nOutReplace("digits", 5, WeightInit.XAVIER).build());
        assertTrue(e.getMessage().contains("DigitCaps 'digits' cannot be resized by TransferLearning's nOutReplace"), e.getMessage());
        assertTrue(e.getMessage().contains("initTransfer(trained, CapsNetTransfer.Mode.FINE_TUNING)")
                && e.getMessage().contains("removeVertexAndConnections"), e.getMessage());
    }

    @Test
    void resizingPrimaryCapsFailsWithTheAlternative() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new TransferLearning.GraphBuilder(tiny()).nOutReplace("primary", 16, WeightInit.XAVIER).build());
        assertTrue(e.getMessage().contains("PrimaryCaps 'primary' cannot be resized"), e.getMessage());
        assertTrue(e.getMessage().contains("capsuleChannels × capsuleDimension"), e.getMessage());
    }

    @Test
    void resizingTheConvolutionBeforePrimaryCapsWorks() {
        ComputationGraph original = tiny();
        ComputationGraph resized = new TransferLearning.GraphBuilder(original)
                .nOutReplace("conv", 5, WeightInit.XAVIER)
                .build();
        assertArrayEquals(new long[]{5, 1, 3, 3}, resized.getLayer("conv").getParam("W").shape());
        assertArrayEquals(new long[]{8, 5, 3, 3}, resized.getLayer("primary").getParam("W").shape());
        for (String kept : new String[]{"digits", "decoder", "reconstruction"}) {
            assertEquals(0.0, original.getLayer(kept).params().sub(resized.getLayer(kept).params()).amaxNumber().doubleValue(), 0.0,
                    kept + " keeps its parameters");
        }

        Nd4j.getRandom().setSeed(9);
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 1, TinyCapsNet.SIZE, TinyCapsNet.SIZE);
        INDArray labels = Nd4j.eye(TinyCapsNet.CLASSES).castTo(DataType.FLOAT);
        MultiDataSet batch = new MultiDataSet(new INDArray[]{images, labels},
                new INDArray[]{labels, images.reshape(3, (long) TinyCapsNet.SIZE * TinyCapsNet.SIZE)});
        INDArray before = resized.params().dup();
        double firstScore = resized.score(batch);
        for (int step = 0; step < 5; step++) {
            resized.fit(batch);
        }
        assertTrue(resized.params().sub(before).amaxNumber().doubleValue() > 0, "training changes the resized graph's parameters");
        double lastScore = resized.score(batch);
        assertTrue(lastScore < firstScore, "the resized graph trains: score " + firstScore + " → " + lastScore);
    }
}
