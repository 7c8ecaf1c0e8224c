package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shapes and sizes of the paper's MNIST CapsNet (section 4), from the layers' defaults. It proves:
 * <ul>
 *   <li>output InputTypes: PrimaryCaps on the 20×20×256 feature map → {@code recurrent(1152, 8)} (32 channels × 6×6
 *       positions of 8-D capsules), DigitCaps → {@code recurrent(10, 16)}, CapsuleLength → {@code feedForward(10)},
 *       CapsuleMask → {@code feedForward(160)}; and a non-default PrimaryCaps (padding, unequal stride and kernel)
 *       follows the convolution size formula per axis;</li>
 *   <li>parameter counts in the graph conv(28×28×1, 256 @ 9×9) → PrimaryCaps → DigitCaps: PrimaryCaps
 *       9·9·256·256 + 256 = 5,308,672, DigitCaps 1152·8·10·16 = 1,474,560 (no bias), the paper's numbers; and one
 *       example through the initialised graph has the activation shapes the InputTypes announce.</li>
 * </ul>
 */
class InputTypeTest {

    @Test
    void outputTypesOfThePapersLayers() {
        InputType primary = PrimaryCaps.builder().build().getOutputType(0, InputType.convolutional(20, 20, 256));
        assertEquals(InputType.recurrent(1152, 8), primary);

        InputType digits = DigitCaps.builder().build().getOutputType(1, primary);
        assertEquals(InputType.recurrent(10, 16), digits);

        assertEquals(InputType.feedForward(10), CapsuleLength.builder().build().getOutputType(2, digits));
        assertEquals(InputType.feedForward(160), new CapsuleMask().getOutputType(3, digits, InputType.feedForward(10)));
    }

    @Test
    void primaryCapsOutputFollowsTheConvolutionSizeFormulaPerAxis() {
        // height (11 + 2·1 − 3)/2 + 1 = 6, width (9 + 0 − 5)/1 + 1 = 5 → 3 channels · 30 positions, 6-D
        InputType type = PrimaryCaps.builder().capsuleChannels(3).capsuleDimension(6).kernelSize(3, 5)
                .stride(2, 1).padding(1, 0).build().getOutputType(0, InputType.convolutional(11, 9, 4));
        assertEquals(InputType.recurrent(90, 6), type);
    }

    @Test
    void parameterCountsAndShapesOfThePapersMnistCapsNet() {
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(9, 9).nOut(256).activation(Activation.RELU).build(), "image")
                .addLayer("primary", PrimaryCaps.builder().build(), "conv")
                .addLayer("digits", DigitCaps.builder().build(), "primary")
                .setOutputs("digits")
                .build();
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        assertEquals(5_308_672, graph.getLayer("primary").numParams(), "PrimaryCaps parameters");
        assertEquals(1_474_560, graph.getLayer("digits").numParams(), "DigitCaps parameters");
        assertEquals(9 * 9 * 256 + 256, graph.getLayer("conv").numParams(), "Conv1 parameters");

        Map<String, INDArray> activations = graph.feedForward(Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28), false);
        assertArrayEquals(new long[]{1, 1152, 8}, activations.get("primary").shape());
        assertArrayEquals(new long[]{1, 10, 16}, activations.get("digits").shape());
    }
}
