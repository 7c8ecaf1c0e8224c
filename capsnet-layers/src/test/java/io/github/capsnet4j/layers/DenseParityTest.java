package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.DoublePrecision;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

import static io.github.capsnet4j.testing.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Dense} and {@link Output} against DL4J's own {@link DenseLayer} and {@link OutputLayer} (the reference), in
 * double precision: the same configuration and parameters give the same output, score and gradients of every parameter
 * and of the input, for the decoder's shape (ReLU, ReLU, sigmoid with a weighted squared error) and for variants (no
 * bias, layer normalization, tanh with an L2 penalty).
 */
@ExtendWith(DoublePrecision.class)
class DenseParityTest {

    private static final int IN = 7;
    private static final int OUT = 5;

    private static MultiLayerNetwork network(boolean ours, String variant) {
        DenseLayer.Builder first = ours ? Dense.builder() : new DenseLayer.Builder();
        DenseLayer.Builder second = ours ? Dense.builder() : new DenseLayer.Builder();
        LossL2 loss = new LossL2(Nd4j.linspace(DataType.DOUBLE, 1, OUT, OUT).reshape(1, OUT));   // weighted squared error
        OutputLayer.Builder output = ours ? Output.builder(loss) : new OutputLayer.Builder(loss);
        first.nOut(6).activation(Activation.RELU);
        second.nOut(4).activation(Activation.RELU);
        output.nOut(OUT).activation(Activation.SIGMOID);
        switch (variant) {
            case "decoder":
                break;
            case "no-bias":
                first.hasBias(false);
                output.hasBias(false);
                break;
            case "layer-norm":
                second.hasLayerNorm(true);
                break;
            case "tanh-l2":
                first.activation(Activation.TANH).l2(0.01);
                break;
            default:
                throw new IllegalArgumentException(variant);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(0.5))
                .list()
                .layer(first.build())
                .layer(second.build())
                .layer(output.build())
                .setInputType(InputType.feedForward(IN))
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    /** With a mask (examples 2 and 5 masked out) a layer's output equals DL4J's: the masked rows are zero. */
    @Test
    void sameOutputWithAMask() {
        MultiLayerNetwork reference = network(false, "decoder");
        MultiLayerNetwork ours = network(true, "decoder");
        ours.setParams(reference.params());
        INDArray mask = Nd4j.create(new double[][]{{1}, {1}, {0}, {1}, {1}, {0}});
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, IN);
        for (int layer : new int[]{0, 2}) {
            INDArray input = layer == 0 ? x : Nd4j.rand(DataType.DOUBLE, 6, 4);
            INDArray[] outputs = new INDArray[2];
            MultiLayerNetwork[] networks = {reference, ours};
            for (int n = 0; n < 2; n++) {
                org.deeplearning4j.nn.api.Layer computation = networks[n].getLayer(layer);
                computation.setMaskArray(mask);
                outputs[n] = computation.activate(input, false, LayerWorkspaceMgr.noWorkspaces());
            }
            assertClose("masked output of layer " + layer, outputs[0], outputs[1], DataType.DOUBLE);
            assertEquals(0.0, outputs[1].getRow(2).amaxNumber().doubleValue(), 0.0, "a masked row of layer " + layer);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"decoder", "no-bias", "layer-norm", "tanh-l2"})
    void sameOutputScoreAndGradientsAsDl4jLayers(String variant) {
        MultiLayerNetwork reference = network(false, variant);
        MultiLayerNetwork ours = network(true, variant);
        assertInstanceOf(io.github.capsnet4j.layers.runtime.DenseLayer.class, ours.getLayer(0));
        assertInstanceOf(io.github.capsnet4j.layers.runtime.OutputLayer.class, ours.getLayer(2));
        assertEquals(reference.numParams(), ours.numParams(), "parameter count");
        ours.setParams(reference.params());

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, IN).subi(0.5);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, 6, OUT);
        assertClose(variant + " output", reference.output(x), ours.output(x), DataType.DOUBLE);
        assertSameGradientsAndScore(variant, reference, ours, x, targets, null);
    }

    /** Label masks, per example or per output (DL4J's output layer takes both), give the same score and gradients. */
    @Test
    void sameScoreAndGradientsWithLabelMasks() {
        MultiLayerNetwork reference = network(false, "decoder");
        MultiLayerNetwork ours = network(true, "decoder");
        ours.setParams(reference.params());
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, IN);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, 6, OUT);
        INDArray perOutput = Nd4j.rand(DataType.DOUBLE, 6, OUT).gt(0.5).castTo(DataType.DOUBLE);
        INDArray perExample = Nd4j.create(new double[][]{{1}, {0}, {1}, {1}, {0}, {1}});
        for (INDArray mask : new INDArray[]{perOutput, perExample}) {
            assertSameGradientsAndScore(mask.size(1) == 1 ? "per-example mask" : "per-output mask", reference, ours, x, targets, mask);
        }
    }

    /** The gradients of every parameter and of the input, and the score, of both networks (labelMask may be null). */
    private static void assertSameGradientsAndScore(String what, MultiLayerNetwork reference, MultiLayerNetwork ours, INDArray x,
                                                    INDArray targets, INDArray labelMask) {
        Pair<Gradient, INDArray> expected = reference.calculateGradients(x, targets, null, labelMask);
        Pair<Gradient, INDArray> actual = ours.calculateGradients(x, targets, null, labelMask);
        assertTrue(expected.getFirst().gradient().norm2Number().doubleValue() > 0, what + ": non-zero reference gradient");
        for (String key : reference.paramTable().keySet()) {
            assertClose(what + ", gradient of " + key, expected.getFirst().getGradientFor(key),
                    actual.getFirst().getGradientFor(key), DataType.DOUBLE);
        }
        assertClose(what + ", input gradient", expected.getSecond(), actual.getSecond(), DataType.DOUBLE);
        org.nd4j.linalg.dataset.DataSet data = new org.nd4j.linalg.dataset.DataSet(x, targets, null, labelMask);
        assertEquals(reference.score(data), ours.score(data), 1e-12, what + ", score");
    }

    /** One training step from the same start ends at the same parameters. */
    @Test
    void sameParametersAfterATrainingStep() {
        MultiLayerNetwork reference = network(false, "decoder");
        MultiLayerNetwork ours = network(true, "decoder");
        ours.setParams(reference.params());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, IN);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, 4, OUT);
        INDArray start = reference.params().dup();
        reference.fit(x, targets);
        ours.fit(x, targets);
        assertTrue(reference.params().sub(start).norm2Number().doubleValue() > 1e-6, "the step moved the parameters");
        assertClose("parameters after a step", reference.params(), ours.params(), DataType.DOUBLE);
    }

    /**
     * The builder keeps every DL4J setting (the JSON of a Dense is a DenseLayer's of the same settings but for its class);
     * a Dense is not equal to a DenseLayer of the same settings.
     */
    @Test
    void builderKeepsDl4jSettings() throws Exception {
        Dense dense = (Dense) configure(Dense.builder()).build();
        DenseLayer plain = configure(new DenseLayer.Builder()).build();
        String json = NeuralNetConfiguration.mapper().writeValueAsString(dense);
        assertTrue(json.contains("\"p\" : 0.75") && json.contains("MaxNormConstraint") && json.contains("\"fc\""), json);
        assertEquals(NeuralNetConfiguration.mapper().writeValueAsString(plain),
                json.replace(Dense.class.getName(), DenseLayer.class.getName()));
        assertNotEquals(plain, dense);
        assertNotEquals(dense, plain);
        assertEquals(dense, configure(Dense.builder()).build());
        Layer output = Output.builder(new LossL2()).nOut(2).build();
        assertNotEquals(new OutputLayer.Builder(new LossL2()).nOut(2).build(), output);
    }

    /** Settings of every level of DL4J's configuration classes: Layer, BaseLayer, FeedForwardLayer, DenseLayer. */
    private static DenseLayer.Builder configure(DenseLayer.Builder builder) {
        return builder.name("fc").dropOut(0.75).constrainWeights(new MaxNormConstraint(2.0, 1))
                .l2(0.25).activation(Activation.TANH).nIn(3).nOut(2).hasBias(false);
    }

    /** Input of the wrong width: DL4J's exception, naming the expected shape and the fix. */
    @Test
    void wrongInputWidthIsNamed() {
        MultiLayerNetwork ours = network(true, "decoder");
        DL4JInvalidInputException e = assertThrows(DL4JInvalidInputException.class,
                () -> ours.output(Nd4j.rand(DataType.DOUBLE, 2, IN + 1)));
        assertTrue(e.getMessage().contains("[2, 8]") && e.getMessage().contains("expected [batch, 7]"), e.getMessage());
    }
}
