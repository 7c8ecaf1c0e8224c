package io.github.capsnet4j.layers;

import io.github.capsnet4j.loss.LossMargin;
import io.github.capsnet4j.ops.CapsulePredictions;
import io.github.capsnet4j.ops.DynamicRouting;
import io.github.capsnet4j.ops.Squash;
import io.github.capsnet4j.testing.GradientProbe;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Misuse fails early, in Java, with a message that names the problem and the fix, never with a native crash or a
 * silently wrong result. Each test below feeds one mistake and asserts the exception type and key words of its
 * message (walking the cause chain, since DL4J may wrap the exception):
 * <ul>
 *   <li>configuration time: a feed-forward input into PrimaryCaps; DigitCaps after a dense layer; DigitCaps
 *       {@code inputCapsules(...)} that disagree with the PrimaryCaps output; {@code routingIterations(0)} and
 *       {@code DynamicRouting.route(sd, uHat, 0)}; a kernel larger than the image; CapsuleMask labels of the wrong
 *       width; the array forms of the ops given arrays of the wrong shape (W, ∂L/∂W, û, ∂L/∂v), no output capsule or
 *       no example;</li>
 *   <li>run time: an image with the wrong number of channels into PrimaryCaps; a label array of the wrong width into
 *       CapsuleMask; labels of the wrong width for LossMargin during {@code fit};</li>
 *   <li>no NaN at zero: CapsuleLength of an all-zero capsule has a finite output and a finite (zero) input gradient,
 *       and squash of zeros is zeros with a finite gradient.</li>
 * </ul>
 */
class BadInputTest {

    /**
     * Asserts that {@code action} throws, and that the thrown exception or one of its causes is a {@code type} whose
     * message contains every key word (case-insensitive). Returns that exception.
     */
    private static <T extends Throwable> T assertFailsWith(Class<T> type, Executable action, String... keyWords) {
        Throwable thrown = assertThrows(Throwable.class, action);
        StringBuilder chain = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.append("\n  ").append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (type.isInstance(t) && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase();
                boolean all = true;
                for (String word : keyWords) {
                    all &= message.contains(word.toLowerCase());
                }
                if (all) {
                    return type.cast(t);
                }
            }
        }
        fail("expected a " + type.getSimpleName() + " whose message contains " + String.join(", ", keyWords) + "; got" + chain);
        return null;
    }

    /** Without the input gradient a convolution cannot sit behind DL4J's FeedForwardToCnnPreProcessor (flat images). */
    @Test
    void convolutionWithoutInputGradientRefusesFlatImages() {
        assertFailsWith(IllegalStateException.class, () -> new NeuralNetConfiguration.Builder()
                        .graphBuilder()
                        .addInputs("image")
                        .setInputTypes(InputType.convolutionalFlat(9, 9, 1))
                        .addLayer("conv", Convolution.builder(3, 3).inputGradient(false).nOut(2).build(), "image")
                        .addLayer("out", new LossLayer.Builder().lossFunction(new LossMSE()).build(), "conv")
                        .setOutputs("out")
                        .build(),
                "inputGradient(false)", "FeedForwardToCnnPreProcessor", "InputType.convolutional", "keep the input gradient");
    }

    /** A plain DL4J ConvolutionLayer and a Convolution with the same settings are not equal, either way round. */
    @Test
    void convolutionAndDl4jConvolutionLayerAreNotEqual() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer dl4j =
                new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nIn(1).nOut(2).build();
        Convolution ours = (Convolution) Convolution.builder(3, 3).nIn(1).nOut(2).build();
        assertTrue(!dl4j.equals(ours) && !ours.equals(dl4j), "equals is symmetric");
        assertEquals(ours, Convolution.builder(3, 3).nIn(1).nOut(2).build());
    }

    private static void assertFinite(String what, INDArray array) {
        double[] values = array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < values.length; i++) {
            assertTrue(Double.isFinite(values[i]), what + ": element " + i + " is " + values[i]);
        }
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT);
    }

    private static LossLayer marginLayer() {
        return new LossLayer.Builder().lossFunction(new LossMargin()).activation(Activation.IDENTITY).build();
    }

    // ---- configuration time ----

    @Test
    void feedForwardInputIntoPrimaryCaps() {
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("image").setInputTypes(InputType.feedForward(49))
                        .addLayer("primary", PrimaryCaps.builder().kernelSize(3, 3).build(), "image")
                        .setOutputs("primary").build(),
                "PrimaryCaps expects convolutional input", "InputType.convolutionalFlat");
    }

    @Test
    void digitCapsAfterDenseLayer() {
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("x").setInputTypes(InputType.feedForward(49))
                        .addLayer("dense", new DenseLayer.Builder().nOut(16).build(), "x")
                        .addLayer("digits", DigitCaps.builder().capsules(3).capsuleDimension(4).build(), "dense")
                        .setOutputs("digits").build(),
                "DigitCaps expects capsules", "Put it after a PrimaryCaps");
    }

    @Test
    void digitCapsInputCapsulesDisagreeingWithPrimaryCaps() {
        // PrimaryCaps on 7×7, kernel 3, stride 2: 2 channels × 3×3 positions = 18 capsules of 4-D; configured 18 of 5-D
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1))
                        .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4)
                                .kernelSize(3, 3).stride(2, 2).build(), "image")
                        .addLayer("digits", DigitCaps.builder().capsules(3).capsuleDimension(4).inputCapsules(18, 5).build(), "primary")
                        .setOutputs("digits").build(),
                "configured for 5 input capsule dimension", "produces 4", "Remove the explicit setting");
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1))
                        .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4)
                                .kernelSize(3, 3).stride(2, 2).build(), "image")
                        .addLayer("digits", DigitCaps.builder().capsules(3).capsuleDimension(4).inputCapsules(20, 4).build(), "primary")
                        .setOutputs("digits").build(),
                "configured for 20 input capsules", "produces 18");
    }

    @Test
    void primaryCapsNInDisagreeingWithTheImageChannels() {
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1))
                        .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4)
                                .kernelSize(3, 3).stride(2, 2).nIn(3).build(), "image")
                        .setOutputs("primary").build(),
                "configured for 3 input channels", "has 1", "Remove .nIn(...)");
    }

    @Test
    void zeroRoutingIterations() {
        assertFailsWith(IllegalArgumentException.class, () -> DigitCaps.builder().routingIterations(0),
                "routingIterations must be at least 1", "got 0");
        SameDiff sd = SameDiff.create();
        SDVariable uHat = sd.var("uHat", Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5));
        assertFailsWith(IllegalArgumentException.class, () -> DynamicRouting.route(sd, uHat, 0),
                "at least 1 iteration", "got 0");
    }

    /** The array forms of eq. (2) and Procedure 1 check shapes before any op runs (a wrong ∂L/∂v would broadcast). */
    @Test
    void arrayFormsOfTheOpsRefuseWrongShapes() {
        INDArray u = Nd4j.rand(DataType.DOUBLE, 2, 3, 4);                   // [batch, inCaps, inDim]
        assertFailsWith(IllegalArgumentException.class,
                () -> CapsulePredictions.forward(u, Nd4j.rand(DataType.DOUBLE, 3, 4, 12), 2, 5),
                "W [inCaps, inDim, 2·5]", "[3, 4, 12]");
        CapsulePredictions.Trace predictions = CapsulePredictions.forward(u, Nd4j.rand(DataType.DOUBLE, 3, 4, 10), 2, 5);
        INDArray uHat = predictions.uHatByInput();                          // [3, 2, 10]
        assertFailsWith(IllegalArgumentException.class,
                () -> predictions.backward(uHat, Nd4j.create(DataType.DOUBLE, 3, 4, 12)), "W's shape [3, 4, 10]");
        assertFailsWith(IllegalArgumentException.class,
                () -> DynamicRouting.forward(uHat, 3, 0, false), "at least 1 output capsule", "outCaps=0");
        assertFailsWith(IllegalArgumentException.class,
                () -> DynamicRouting.forward(uHat, 3, 3, false), "[inCaps, batch, 3·outDim]", "[3, 2, 10]");
        assertFailsWith(IllegalArgumentException.class,
                () -> DynamicRouting.forward(Nd4j.create(DataType.DOUBLE, 3, 0, 10), 3, 2, false), "no examples");
        DynamicRouting.Trace routing = DynamicRouting.forward(uHat, 3, 2, false);
        assertFailsWith(IllegalArgumentException.class,
                () -> routing.backward(Nd4j.rand(DataType.DOUBLE, 1, 2, 5)), "v's shape [2, 2, 5]", "[1, 2, 5]");
    }

    @Test
    void kernelLargerThanTheImage() {
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1))
                        .addLayer("primary", PrimaryCaps.builder().kernelSize(9, 9).build(), "image")
                        .setOutputs("primary").build(),
                "kernel 9 does not fit an input of size 7", "smaller kernel");
    }

    @Test
    void capsuleMaskLabelsOfWrongWidthAtConfigurationTime() {
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("caps", "label").setInputTypes(InputType.recurrent(3, 4), InputType.feedForward(2))
                        .addVertex("masked", new CapsuleMask(), "caps", "label")
                        .addLayer("out", new LossLayer.Builder().lossFunction(new LossMSE()).activation(Activation.IDENTITY).build(), "masked")
                        .setOutputs("out").build(),
                "labels of width 3", "InputType.feedForward(3)", "Declare the labels");
    }

    // ---- run time ----

    @Test
    void imageWithWrongChannelCountIntoPrimaryCaps() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1))
                .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4).kernelSize(3, 3).stride(2, 2).build(), "image")
                .addLayer("lengths", CapsuleLength.builder().build(), "primary")
                .addLayer("margin", marginLayer(), "lengths")
                .setOutputs("margin").build());
        graph.init();
        assertArrayEquals(new long[]{2, 18}, graph.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 7, 7)).shape());
        assertFailsWith(IllegalArgumentException.class, () -> graph.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, 7, 7)),
                "PrimaryCaps expects images [batch, 1, 7, 7]", "[2, 3, 7, 7]");
    }

    private static ComputationGraph maskGraph() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("caps", "label").setInputTypes(InputType.recurrent(3, 4), InputType.feedForward(3))
                .addVertex("masked", new CapsuleMask(), "caps", "label")
                .addLayer("out", new LossLayer.Builder().lossFunction(new LossMSE()).activation(Activation.IDENTITY).build(), "masked")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    @Test
    void capsuleMaskCapsulesOfWrongShapeAtRunTime() {
        ComputationGraph graph = maskGraph();
        assertFailsWith(IllegalArgumentException.class,
                () -> graph.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, 5), Nd4j.zeros(DataType.FLOAT, 2, 3)),
                "CapsuleMask 'masked' expects capsules [batch, 3, 4]", "[2, 3, 5]");
    }

    @Test
    void capsuleMaskWithOneInput() {
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("caps").setInputTypes(InputType.recurrent(3, 4))
                        .addVertex("masked", new CapsuleMask(), "caps")
                        .addLayer("out", new LossLayer.Builder().lossFunction(new LossMSE()).activation(Activation.IDENTITY).build(), "masked")
                        .setOutputs("out").build(),
                "CapsuleMask takes two inputs (capsules, labels) but got 1", "addVertex(name, new CapsuleMask()");
    }

    @Test
    void capsuleLayersGivenArraysOfAnotherShapeAtRunTime() {
        ComputationGraph lengths = new ComputationGraph(base().graphBuilder()
                .addInputs("caps").setInputTypes(InputType.recurrent(3, 4))
                .addLayer("lengths", CapsuleLength.builder().build(), "caps")
                .addLayer("margin", marginLayer(), "lengths")
                .setOutputs("margin").build());
        lengths.init();
        assertFailsWith(IllegalArgumentException.class, () -> lengths.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 12)),
                "CapsuleLength expects capsules [batch, capsules, dimension] but got [2, 12]", "after a DigitCaps");

        ComputationGraph digits = new ComputationGraph(base().graphBuilder()
                .addInputs("caps").setInputTypes(InputType.recurrent(6, 4))
                .addLayer("digits", DigitCaps.builder().capsules(2).capsuleDimension(3).build(), "caps")
                .addLayer("lengths", CapsuleLength.builder().build(), "digits")
                .addLayer("margin", marginLayer(), "lengths")
                .setOutputs("margin").build());
        digits.init();
        assertFailsWith(IllegalArgumentException.class, () -> digits.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 5, 4)),
                "DigitCaps expects capsules [batch, 6, 4] but got [2, 5, 4]", "PrimaryCaps output");
    }

    @Test
    void primaryCapsRefusesAnActivationAndNhwcImages() {
        assertFailsWith(IllegalArgumentException.class,
                () -> PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4).kernelSize(3, 3).activation(Activation.RELU).build(),
                "PrimaryCaps has no activation setting", "squash", "Remove .activation(...)");
        assertFailsWith(InvalidInputTypeException.class, () -> base().graphBuilder()
                        .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1, CNN2DFormat.NHWC))
                        .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4).kernelSize(3, 3).build(), "image")
                        .addLayer("lengths", CapsuleLength.builder().build(), "primary")
                        .addLayer("margin", marginLayer(), "lengths")
                        .setOutputs("margin").build(),
                "PrimaryCaps expects NCHW images, got NHWC", "Use the NCHW data format");
    }

    @Test
    void squashAndRoutingRefuseShapesTheyCannotUse() {
        assertFailsWith(IllegalArgumentException.class, () -> Squash.squash(Nd4j.rand(DataType.FLOAT, 2, 3)),
                "squash expects capsules [batch, capsules, dimension], got shape [2, 3]");
        SameDiff sd = SameDiff.create();
        SDVariable s = sd.var("s", Nd4j.rand(DataType.FLOAT, 2, 3, 4));
        assertFailsWith(IllegalArgumentException.class, () -> Squash.squash(sd, s, 0), "rank >= 1, got rank 0");
        SDVariable intermediate = sd.var("u", Nd4j.rand(DataType.FLOAT, 2, 3, 2, 4)).mul(2.0);
        assertFailsWith(IllegalArgumentException.class, () -> DynamicRouting.route(sd, intermediate, 3),
                "uHat must have a known shape", "route(sd, uHat, iterations, inCaps, outCaps, outDim, false)");
    }

    @Test
    void capsuleMaskLabelsOfWrongWidthAtRunTime() {
        ComputationGraph graph = maskGraph();
        INDArray caps = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        assertArrayEquals(new long[]{2, 12}, graph.outputSingle(caps, Nd4j.zeros(DataType.FLOAT, 2, 3)).shape());
        assertFailsWith(IllegalArgumentException.class, () -> graph.outputSingle(caps, Nd4j.zeros(DataType.FLOAT, 2, 5)),
                "expects labels [2, 3]", "[2, 5]", "one column per class");
    }

    @Test
    void marginLabelsOfWrongWidthAtFitTime() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("image").setInputTypes(InputType.convolutional(7, 7, 1))
                .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4).kernelSize(3, 3).stride(2, 2).build(), "image")
                .addLayer("digits", DigitCaps.builder().capsules(3).capsuleDimension(4).build(), "primary")
                .addLayer("lengths", CapsuleLength.builder().build(), "digits")
                .addLayer("margin", marginLayer(), "lengths")
                .setOutputs("margin").build());
        graph.init();
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 1, 7, 7);
        INDArray tenClasses = Nd4j.zeros(DataType.FLOAT, 2, 10);
        tenClasses.putScalar(0, 1, 1).putScalar(1, 7, 1);
        assertFailsWith(IllegalArgumentException.class, () -> graph.fit(new DataSet(images, tenClasses)),
                "LossMargin", "[2, 10]", "[2, 3]", "make the DigitCaps capsule count equal the number of classes");
    }

    // ---- no NaN at zero ----

    @Test
    void capsuleLengthOfZeroCapsuleHasFiniteValueAndGradient() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("v").setInputTypes(InputType.recurrent(3, 4))
                .addVertex("dv", new GradientProbe(), "v")
                .addLayer("lengths", CapsuleLength.builder().build(), "dv")
                .addLayer("margin", marginLayer(), "lengths")
                .setOutputs("margin").build());
        graph.init();
        INDArray v = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        v.get(NDArrayIndex.point(0), NDArrayIndex.point(1),
                NDArrayIndex.all()).assign(0);   // capsule 1 of example 0 is all zero
        v.get(NDArrayIndex.point(1)).assign(0);   // every capsule of example 1 is zero
        INDArray labels = Nd4j.createFromArray(new float[][]{{0, 1, 0}, {1, 0, 0}});

        INDArray lengths = graph.outputSingle(v);
        assertFinite("lengths", lengths);
        assertEquals(0.0, lengths.getDouble(0, 1), 1e-5, "length of a zero capsule");
        assertEquals(0.0, lengths.getRow(1).amaxNumber().doubleValue(), 1e-5, "lengths of zero capsules");

        INDArray gradient = GradientProbe.gradient(graph, "dv", new INDArray[]{v}, new INDArray[]{labels});
        assertFinite("dLoss/dv", gradient);
        assertEquals(0.0, gradient.get(NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0.0,
                "gradient at zero capsules is v/|v| = 0");
        assertTrue(gradient.get(NDArrayIndex.point(0)).amaxNumber().doubleValue() > 0,
                "the non-zero capsules of example 0 do get a gradient");
        assertTrue(Double.isFinite(graph.score()));
    }

    @Test
    void squashOfZerosIsZerosWithFiniteGradient() {
        SameDiff sd = SameDiff.create();
        SDVariable s = sd.var("s", Nd4j.zeros(DataType.FLOAT, 2, 3, 4));
        SDVariable v = Squash.squash(sd, s);
        INDArray value = v.eval();
        assertEquals(0.0, value.amaxNumber().doubleValue(), 0.0, "squash(0) = 0");
        sd.setLossVariables(v.mul(sd.constant("G", Nd4j.rand(DataType.FLOAT, 2, 3, 4))).sum());
        Map<String, INDArray> gradients = sd.calculateGradients(null, "s");
        INDArray ds = gradients.get("s");
        assertArrayEquals(new long[]{2, 3, 4}, ds.shape());
        assertFinite("dLoss/ds", ds);
    }
}
