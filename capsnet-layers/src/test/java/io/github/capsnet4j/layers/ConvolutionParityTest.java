package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Function;

import static io.github.capsnet4j.testing.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Convolution} against DL4J's own {@link ConvolutionLayer} (the reference: it is DL4J's tested
 * implementation), in double precision: the same configuration and parameters give the same output, score
 * and gradients of every parameter, for the paper's Conv1 shape and for variants (stride, padding, "same"
 * mode, dilation, no bias, NHWC, tanh), followed in both networks by DL4J's own pooling and convolution layers.
 */
@ExtendWith(DoublePrecision.class)
class ConvolutionParityTest {

    private static final int SIZE = 9;
    private static final int CHANNELS = 3;

    /** The variants, each a function that configures a builder of either class. */
    private static Function<ConvolutionLayer.Builder, ConvolutionLayer.Builder> variant(String name) {
        switch (name) {
            case "paper":
                return b -> b.stride(1, 1).activation(Activation.RELU);
            case "strided-padded":
                return b -> b.stride(2, 2).padding(1, 2).activation(Activation.RELU);
            case "same-dilated":
                return b -> b.convolutionMode(ConvolutionMode.Same).dilation(2, 2).activation(Activation.TANH);
            case "same-even-kernel":                                         // total padding 1: odd, all of it bottom and right
                return b -> b.kernelSize(2, 2).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU);
            case "strided-3":                                                // 9 output positions < 27 weights per patch: patch products
                return b -> b.stride(3, 3).activation(Activation.RELU);
            case "patches-padded":                                           // 4×5 positions < 48: patch products on a padded image
                return b -> b.kernelSize(4, 4).stride(2, 2).padding(1, 2).activation(Activation.RELU);
            case "patches-same-dilated":                                     // 5×5 < 48, Same mode, dilated: the unmerged patch view
                return b -> b.kernelSize(4, 4).stride(2, 2).convolutionMode(ConvolutionMode.Same).dilation(2, 2)
                        .activation(Activation.TANH);
            case "patches-nhwc":                                             // 3×3 < 48, NHWC
                return b -> b.dataFormat(CNN2DFormat.NHWC).kernelSize(4, 4).stride(2, 2).hasBias(false)
                        .activation(Activation.RELU);
            case "no-bias":
                return b -> b.hasBias(false).activation(Activation.SIGMOID);
            case "nhwc":
                return b -> b.dataFormat(CNN2DFormat.NHWC).stride(1, 2).activation(Activation.RELU);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static MultiLayerNetwork network(ConvolutionLayer.Builder convolution, String name) {
        boolean nhwc = name.endsWith("nhwc");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(variant(name).apply(convolution.nOut(4)).build())
                // DL4J's own layers after it: they read its channels-last output and hand it a C-ordered gradient
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(1, 1).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(nhwc ? InputType.convolutional(SIZE, SIZE, CHANNELS, CNN2DFormat.NHWC)
                        : InputType.convolutional(SIZE, SIZE, CHANNELS))
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    @ParameterizedTest
    @ValueSource(strings = {"paper", "strided-padded", "same-dilated", "same-even-kernel", "strided-3", "patches-padded",
            "patches-same-dilated", "patches-nhwc", "no-bias", "nhwc"})
    void sameOutputAndGradientsAsDl4jConvolutionLayer(String name) {
        assertSameAsDl4j(name, Convolution.builder(3, 3), true);
    }

    /** Without the input gradient, ∂L/∂W and ∂L/∂b come from patch products instead of conv2d_bp: the same values. */
    @ParameterizedTest
    @ValueSource(strings = {"paper", "strided-padded", "same-dilated", "same-even-kernel", "strided-3", "patches-padded",
            "patches-same-dilated", "patches-nhwc", "no-bias", "nhwc"})
    void withoutInputGradientSameWeightGradientsAsDl4jConvolutionLayer(String name) {
        assertSameAsDl4j(name, Convolution.builder(3, 3).inputGradient(false), false);
    }

    private static void assertSameAsDl4j(String name, Convolution.Builder builder, boolean inputGradient) {
        MultiLayerNetwork reference = network(new ConvolutionLayer.Builder(3, 3), name);
        MultiLayerNetwork ours = network(builder, name);
        assertInstanceOf(io.github.capsnet4j.layers.runtime.ConvolutionLayer.class, ours.getLayer(0));
        assertEquals(reference.numParams(), ours.numParams(), "parameter count");
        ours.setParams(reference.params());

        Nd4j.getRandom().setSeed(11);
        INDArray images = name.endsWith("nhwc") ? Nd4j.rand(DataType.DOUBLE, 5, SIZE, SIZE, CHANNELS)
                : Nd4j.rand(DataType.DOUBLE, 5, CHANNELS, SIZE, SIZE);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, 5, 2);
        assertClose(name + " output", reference.output(images), ours.output(images), DataType.DOUBLE);

        Pair<Gradient, INDArray> expected = reference.calculateGradients(images, targets, null, null);
        Pair<Gradient, INDArray> actual = ours.calculateGradients(images, targets, null, null);
        assertTrue(expected.getFirst().gradient().norm2Number().doubleValue() > 0, "non-zero reference gradient");
        for (String key : reference.paramTable().keySet()) {
            assertClose(name + " gradient of " + key, expected.getFirst().getGradientFor(key),
                    actual.getFirst().getGradientFor(key), DataType.DOUBLE);
        }
        if (inputGradient) {
            assertClose(name + " input gradient", expected.getSecond(), actual.getSecond(), DataType.DOUBLE);
        } else {
            assertNull(actual.getSecond(), name + ": no input gradient");
        }
    }
}
