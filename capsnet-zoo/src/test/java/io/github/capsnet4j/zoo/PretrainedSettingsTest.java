package io.github.capsnet4j.zoo;

import io.github.capsnet4j.layers.DigitCaps;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.IOException;

import static io.github.capsnet4j.testing.Identical.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code initPretrained} honours the builder's settings that the weights do not fix (routing iterations, updater,
 * data type, no decoder) and rejects, naming them and the fix, those that conflict with the weights.
 */
class PretrainedSettingsTest {

    private static ComputationGraph paper;

    @BeforeAll
    static void loadThePapersNetwork() throws IOException {
        paper = CapsNetMnist.builder().build().initPretrained(PretrainedType.MNIST);
    }

    @Test
    void routingIterationsUpdaterAndDataTypeAreHonoured() throws IOException {
        ComputationGraph network = CapsNetMnist.builder().routingIterations(1).updater(new Sgd(0.01)).dataType(DataType.DOUBLE)
                .build().initPretrained(PretrainedType.MNIST);

        DigitCaps digitCaps = (DigitCaps) network.getLayer(CapsNetGraph.DIGIT_CAPS).conf().getLayer();
        assertEquals(1, digitCaps.getRoutingIterations());
        assertInstanceOf(Sgd.class, digitCaps.getIUpdater());
        assertEquals(DataType.DOUBLE, network.params().dataType());
        assertIdentical(paper.params().castTo(DataType.DOUBLE), network.params(), "the shipped weights, in double precision");
    }

    @Test
    void withoutTheDecoderTheEncoderIsThePretrainedOne() throws IOException {
        ComputationGraph encoder = CapsNetMnist.builder().decoder(false).build().initPretrained(PretrainedType.MNIST);

        assertEquals(6_804_224L, encoder.numParams());
        assertEquals(1, encoder.getNumInputArrays());
        INDArray digits = TinyCapsNet.testDigits(8);
        INDArray lengths = paper.output(false, digits, Nd4j.zeros(8, 10))[0];
        assertEquals(lengths, encoder.outputSingle(false, digits), "the same capsule lengths as the network with its decoder");
    }

    @Test
    void settingsThatConflictWithTheWeightsAreRejectedByName() {
        CapsNetMnist model = CapsNetMnist.builder().numClasses(5).inputShape(32, 32, 1).build();
        assertFalse(model.pretrainedAvailable(PretrainedType.MNIST));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> model.initPretrained(PretrainedType.MNIST));
        assertTrue(e.getMessage().contains("numClasses(5)") && e.getMessage().contains("inputShape(32, 32, 1)")
                && e.getMessage().contains("initTransfer"), e.getMessage());
    }

    @Test
    void settingsTheWeightsDoNotFixKeepThePretrainedModelAvailable() {
        assertTrue(CapsNetMnist.builder().routingIterations(1).decoder(false).dataType(DataType.DOUBLE).build()
                .pretrainedAvailable(PretrainedType.MNIST));
    }
}
