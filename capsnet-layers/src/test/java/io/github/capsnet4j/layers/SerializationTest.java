package io.github.capsnet4j.layers;

import io.github.capsnet4j.loss.LossMargin;
import io.github.capsnet4j.testing.TinyCapsNet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saving and restoring networks that use this module's layers, in float32. It proves:
 * <ul>
 *   <li>{@link #tinyCapsNetConfigurationRoundTripsThroughJson}: the {@link TinyCapsNet} configuration (every layer, the
 *       mask vertex, both losses) survives {@code toJson()/fromJson()}: equal configuration, identical JSON when written
 *       again, and a network built from the restored configuration with the same parameters gives identical outputs;</li>
 *   <li>{@link #nonDefaultSettingsSurviveJsonRoundTrip}: every non-default setting of PrimaryCaps, DigitCaps,
 *       CapsuleMask and LossMargin is restored (asserted getter by getter, because DL4J's JSON silently
 *       ignores a property whose name does not match and leaves the default), and restored and original networks
 *       agree on outputs AND gradients (the gradient sees {@code detachInnerIterations}, the output does not);</li>
 *   <li>{@link #primaryCapsOfTheOldWeightLayoutIsRefused}: a configuration saved before PrimaryCaps' weight layout
 *       change is refused with the advice to convert it, instead of loading its weights scrambled;</li>
 *   <li>{@link #modelSerializerRestoresAGraphThatContinuesTraining}: {@code ModelSerializer} with the updater gives
 *       back identical parameters, updater state and outputs, and one more training step from the restored copy
 *       equals one more step from the original;</li>
 *   <li>{@link #multiLayerNetworkWithCapsuleLayersTrainsAndRoundTrips}: the layers also work in a
 *       {@code MultiLayerNetwork} built with {@code list()} and {@code setInputType}: no input preprocessor is
 *       inserted between the capsule layers, one fit step changes the parameters and gives a finite score, and the
 *       JSON round trip gives identical output.</li>
 * </ul>
 */
class SerializationTest {

    private static final int BATCH = 3;

    private static INDArray images(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, BATCH, 1, TinyCapsNet.SIZE, TinyCapsNet.SIZE);
    }

    private static INDArray labels() {
        return Nd4j.eye(TinyCapsNet.CLASSES).castTo(DataType.FLOAT);
    }

    private static MultiDataSet tinyData(long seed) {
        INDArray images = images(seed);
        return new MultiDataSet(new INDArray[]{images, labels()},
                new INDArray[]{labels(), images.reshape(BATCH, (long) TinyCapsNet.SIZE * TinyCapsNet.SIZE)});
    }

    private static void assertSame(String what, INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertEquals(0.0, difference, 1e-6, what + ": largest difference");
    }

    private static void assertSameOutputs(ComputationGraph expected, ComputationGraph actual, INDArray... inputs) {
        INDArray[] a = expected.output(inputs);
        INDArray[] b = actual.output(inputs);
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertSame("output " + i, a[i], b[i]);
        }
    }

    private static ComputationGraph restoredWithSameParams(ComputationGraph original) {
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(original.getConfiguration().toJson());
        ComputationGraph copy = new ComputationGraph(restored);
        copy.init();
        copy.setParams(original.params());
        return copy;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layer(ComputationGraphConfiguration configuration, String name) {
        return ((LayerVertex) configuration.getVertices().get(name)).getLayerConf().getLayer();
    }

    @Test
    void tinyCapsNetConfigurationRoundTripsThroughJson() {
        ComputationGraphConfiguration configuration = TinyCapsNet.configuration(DataType.FLOAT, 3);
        String json = configuration.toJson();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(json);
        assertEquals(configuration, restored);
        assertEquals(json, restored.toJson(), "JSON written again");

        ComputationGraph original = new ComputationGraph(configuration);
        original.init();
        ComputationGraph copy = restoredWithSameParams(original);
        assertSameOutputs(original, copy, images(1), labels());
        assertSameOutputs(original, copy, images(2), Nd4j.zeros(DataType.FLOAT, BATCH, TinyCapsNet.CLASSES));   // mask by prediction
    }

    private static ComputationGraphConfiguration variant() {
        return new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .graphBuilder()
                .addInputs("image", "label")
                .setInputTypes(InputType.convolutional(TinyCapsNet.SIZE, TinyCapsNet.SIZE, 1), InputType.feedForward(4))
                .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(3)
                        .kernelSize(3, 2).stride(1, 2).padding(1, 0).weightInit(WeightInit.RELU).build(), "image")
                .addLayer("digits", DigitCaps.builder().capsules(4).capsuleDimension(5)
                        .routingIterations(2).detachInnerIterations(true)
                        .weightInit(new WeightInitDistribution(new NormalDistribution(0, 0.3))).build(), "primary")
                .addLayer("lengths", CapsuleLength.builder().build(), "digits")
                .addLayer("margin", new LossLayer.Builder().lossFunction(new LossMargin(0.8, 0.15, 0.25))
                        .activation(Activation.IDENTITY).build(), "lengths")
                .addVertex("masked", new CapsuleMask(), "digits", "label")
                .addLayer("copy", new LossLayer.Builder().lossFunction(new org.nd4j.linalg.lossfunctions.impl.LossMSE())
                        .activation(Activation.IDENTITY).build(), "masked")
                .setOutputs("margin", "copy")
                .build();
    }

    @Test
    void nonDefaultSettingsSurviveJsonRoundTrip() {
        ComputationGraphConfiguration configuration = variant();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(configuration.toJson());

        PrimaryCaps primary = assertInstanceOf(PrimaryCaps.class, layer(restored, "primary"));
        assertEquals(2, primary.getCapsuleChannels());
        assertEquals(3, primary.getCapsuleDimension());
        assertArrayEquals(new int[]{3, 2}, primary.getKernelSize());
        assertArrayEquals(new int[]{1, 2}, primary.getStride());
        assertArrayEquals(new int[]{1, 0}, primary.getPadding());
        assertInstanceOf(WeightInitRelu.class, primary.getWeightInitFn());
        assertEquals(1, primary.getNIn());
        assertEquals(TinyCapsNet.SIZE, primary.getInputHeight());
        assertEquals(TinyCapsNet.SIZE, primary.getInputWidth());
        // output 7×3 positions (height (7+2−3)/1+1, width (7−2)/2+1) × 2 channels = 42 capsules
        assertEquals(42, primary.capsuleCount());

        DigitCaps digits = assertInstanceOf(DigitCaps.class, layer(restored, "digits"));
        assertEquals(4, digits.getCapsules());
        assertEquals(5, digits.getCapsuleDimension());
        assertEquals(2, digits.getRoutingIterations());
        assertTrue(digits.isDetachInnerIterations());
        assertEquals(new WeightInitDistribution(new NormalDistribution(0, 0.3)), digits.getWeightInitFn());
        assertEquals(42, digits.getInputCapsules());
        assertEquals(3, digits.getInputDimension());

        assertInstanceOf(CapsuleLength.class, layer(restored, "lengths"));

        CapsuleMask mask = assertInstanceOf(CapsuleMask.class, restored.getVertices().get("masked"));
        assertEquals(4, mask.getCapsules());
        assertEquals(5, mask.getCapsuleDimension());

        LossMargin margin = assertInstanceOf(LossMargin.class, ((LossLayer) layer(restored, "margin")).getLossFn());
        assertEquals(new LossMargin(0.8, 0.15, 0.25), margin);

        // Same parameters → same outputs and the same gradients (detachInnerIterations shows only in the gradient).
        ComputationGraph original = new ComputationGraph(configuration);
        original.init();
        ComputationGraph copy = restoredWithSameParams(original);
        INDArray images = images(4);
        INDArray labels = Nd4j.createFromArray(new float[][]{{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        assertSameOutputs(original, copy, images, labels);

        MultiDataSet data = new MultiDataSet(new INDArray[]{images, labels},
                new INDArray[]{labels, Nd4j.zeros(DataType.FLOAT, BATCH, 4 * 5)});
        original.setInputs(data.getFeatures());
        original.setLabels(data.getLabels());
        original.computeGradientAndScore();
        copy.setInputs(data.getFeatures());
        copy.setLabels(data.getLabels());
        copy.computeGradientAndScore();
        assertSame("gradient", original.getFlattenedGradients(), copy.getFlattenedGradients());

        // ... and the detach setting does change the gradient, so the comparison above can see it.
        DigitCaps attached = (DigitCaps) layer(copy.getConfiguration(), "digits");
        attached.setDetachInnerIterations(false);
        ComputationGraph notDetached = restoredWithSameParams(copy);
        notDetached.setInputs(data.getFeatures());
        notDetached.setLabels(data.getLabels());
        notDetached.computeGradientAndScore();
        assertNotEquals(0.0, original.getFlattenedGradients().sub(notDetached.getFlattenedGradients()).amaxNumber().doubleValue(),
                "detachInnerIterations must change the gradient");
    }

    /** Convolution's one setting of its own survives JSON (a getter/field mismatch would restore the default, true). */
    @Test
    void convolutionWithoutInputGradientSurvivesJsonRoundTrip() {
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(TinyCapsNet.SIZE, TinyCapsNet.SIZE, 1))
                .addLayer("first", Convolution.builder(3, 3).inputGradient(false).nOut(2).build(), "image")
                .addLayer("second", Convolution.builder(3, 3).nOut(2).build(), "first")
                .setOutputs("second")
                .build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(configuration.toJson());
        assertFalse(assertInstanceOf(Convolution.class, layer(restored, "first")).isInputGradient());
        assertTrue(assertInstanceOf(Convolution.class, layer(restored, "second")).isInputGradient());
        assertEquals(configuration, restored);
    }

    /** A configuration saved before PrimaryCaps' weight layout change (its JSON has "inputChannels") is refused, not loaded scrambled. */
    @Test
    void primaryCapsOfTheOldWeightLayoutIsRefused() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        JsonNode root = mapper.readTree(TinyCapsNet.configuration(DataType.FLOAT, 3).toJson());
        ObjectNode primary = (ObjectNode) root.get("vertices").get("primary").get("layerConf").get("layer");
        primary.put("inputChannels", 3);
        String oldJson = mapper.writeValueAsString(root);
        Throwable thrown = assertThrows(Throwable.class, () -> ComputationGraphConfiguration.fromJson(oldJson));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("saved by an older capsnet4j whose PrimaryCaps weights were W [kH, kW, in, out]")
                && messages.toString().contains("Convert the saved network") && messages.toString().contains("capsnet-zoo/tools/ConvertCheckpoint.java"), messages.toString());
    }

    @Test
    void modelSerializerRestoresAGraphThatContinuesTraining(@TempDir Path directory) throws Exception {
        ComputationGraph original = new ComputationGraph(TinyCapsNet.configuration(DataType.FLOAT, 3));
        original.init();
        original.fit(tinyData(5));                                         // non-zero Adam state
        File file = directory.resolve("tiny.zip").toFile();
        ModelSerializer.writeModel(original, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(original.getConfiguration(), restored.getConfiguration());
        assertSame("parameters", original.params(), restored.params());
        assertSame("updater state", original.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertSameOutputs(original, restored, images(6), labels());

        MultiDataSet next = tinyData(7);
        INDArray before = restored.params().dup();
        original.fit(next);
        restored.fit(next);
        assertTrue(Double.isFinite(restored.score()), "score after a step from the restored model");
        assertFalse(before.equals(restored.params()), "the step must change the parameters");
        assertSame("parameters after one more step", original.params(), restored.params());
    }

    @Test
    void multiLayerNetworkWithCapsuleLayersTrainsAndRoundTrips() {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(11)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-2))
                .list()
                .layer(PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4).kernelSize(3, 3).stride(2, 2).build())
                .layer(DigitCaps.builder().capsules(TinyCapsNet.CLASSES).capsuleDimension(4).build())
                .layer(CapsuleLength.builder().build())
                .layer(new LossLayer.Builder().lossFunction(new LossMargin()).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(TinyCapsNet.SIZE, TinyCapsNet.SIZE, 1))
                .build();
        assertTrue(configuration.getInputPreProcessors().isEmpty(),
                "no preprocessor may be inserted between capsule layers: " + configuration.getInputPreProcessors());

        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        INDArray images = images(8);
        INDArray lengths = network.output(images);
        assertArrayEquals(new long[]{BATCH, TinyCapsNet.CLASSES}, lengths.shape());

        INDArray before = network.params().dup();
        network.fit(new DataSet(images, labels()));
        assertTrue(Double.isFinite(network.score()), "score after one step");
        assertFalse(before.equals(network.params()), "one step must change the parameters");

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(configuration.toJson());
        assertEquals(configuration, restored);
        MultiLayerNetwork copy = new MultiLayerNetwork(restored);
        copy.init();
        copy.setParams(network.params());
        assertSame("output after the JSON round trip", network.output(images), copy.output(images));
    }
}
