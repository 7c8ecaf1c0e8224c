package io.github.capsnet4j.zoo;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zoo model is the paper's network: parameter counts (paper: 8,215,568 / 6,804,224) and output shapes. */
class CapsNetMnistTest {

    @Test
    void defaultNetworkHasThePapersParameterCountAndShapes() {
        ComputationGraph network = CapsNetMnist.builder().build().init();
        assertEquals(8_215_568L, network.numParams());
        assertTrue(network.summary().contains("8,215,568"), "summary() shows the paper's count");
        INDArray images = Nd4j.rand(2, 1, 28, 28);
        INDArray[] outputs = network.output(false, images, Nd4j.zeros(2, 10));
        assertArrayEquals(new long[]{2, 10}, outputs[0].shape());
        assertArrayEquals(new long[]{2, 784}, outputs[1].shape());
        assertFalse(outputs[0].isNaN().any() || outputs[1].isNaN().any());
    }

    @Test
    void withoutDecoderTheNetworkHasThePapersEncoderCount() {
        ComputationGraph network = CapsNetMnist.builder().decoder(false).build().init();
        assertEquals(6_804_224L, network.numParams());
        assertEquals(1, network.getNumInputArrays());
        assertArrayEquals(new long[]{3, 10}, network.outputSingle(Nd4j.rand(3, 1, 28, 28)).shape());
    }

    @Test
    void builderRejectsNonsense() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapsNetMnist.builder().routingIterations(0));
        assertTrue(e.getMessage().contains("routingIterations"), e.getMessage());
    }

    @Test
    void pretrainedWeightsExistOnlyForTheDefaultConfiguration() {
        assertFalse(CapsNetMnist.builder().numClasses(5).build().pretrainedAvailable(org.deeplearning4j.zoo.PretrainedType.MNIST));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> CapsNetMnist.builder().numClasses(5).build().initPretrained(org.deeplearning4j.zoo.PretrainedType.MNIST));
        assertTrue(e.getMessage().contains("this CapsNetMnist sets numClasses(5)") && e.getMessage().contains("initTransfer("),
                e.getMessage());
    }

    @Test
    void everyVertexAnnouncesItsOutputSizeSoDl4jLogsNoSizeOfZeroWarning() {
        for (boolean decoder : new boolean[] {true, false}) {
            CapsNetMnist model = CapsNetMnist.builder().decoder(decoder).build();
            InputType[] inputs = decoder
                    ? new InputType[] {InputType.convolutional(28, 28, 1), InputType.feedForward(10)}
                    : new InputType[] {InputType.convolutional(28, 28, 1)};
            Map<String, InputType> types = model.conf().getLayerActivationTypes(inputs);
            types.forEach((vertex, type) -> assertTrue(type.arrayElementsPerExample() > 0, vertex + " announces " + type));
            assertEquals(InputType.feedForward(10), types.get(CapsNetGraph.LENGTHS));
        }
    }
}
