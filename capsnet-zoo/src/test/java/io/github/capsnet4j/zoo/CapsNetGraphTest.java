package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.IdxImages;
import io.github.capsnet4j.data.IdxLabels;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CapsNet graph contract: what it says about graphs, and the arrays it builds for them. */
class CapsNetGraphTest {

    /** A small CapsNetMnist graph, configured but not initialised (the contract reads only the configuration). */
    private static ComputationGraph graph(CapsNetMnist.Builder builder) {
        return new ComputationGraph(builder.convolutionChannels(8).primaryCapsules(2, 8).build().conf());
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    @Test
    void answersForGraphsWithAndWithoutDecoder() {
        ComputationGraph withDecoder = graph(CapsNetMnist.builder());
        ComputationGraph withoutDecoder = graph(CapsNetMnist.builder().decoder(false));
        ComputationGraph fiveClasses = graph(CapsNetMnist.builder().numClasses(5).digitCapsuleDimension(12));
        assertTrue(CapsNetGraph.hasDecoder(withDecoder));
        assertFalse(CapsNetGraph.hasDecoder(withoutDecoder));
        assertEquals(10, CapsNetGraph.numClasses(withDecoder));
        assertEquals(10, CapsNetGraph.numClasses(withoutDecoder));
        assertEquals(5, CapsNetGraph.numClasses(fiveClasses));
        assertEquals(16, CapsNetGraph.capsuleDimension(withDecoder));
        assertEquals(12, CapsNetGraph.capsuleDimension(fiveClasses));
        assertArrayEquals(new int[]{1, 28, 28}, CapsNetGraph.imageShape(withDecoder));
        assertArrayEquals(new int[]{3, 20, 24}, CapsNetGraph.imageShape(graph(CapsNetMnist.builder().inputShape(20, 24, 3))));
    }

    @Test
    void buildsTheDecoderItNames() {
        ComputationGraphConfiguration conf = CapsNetMnist.builder().build().conf();
        assertEquals(List.of(CapsNetGraph.IMAGE, CapsNetGraph.LABEL), conf.getNetworkInputs());
        assertEquals(List.of(CapsNetGraph.LENGTHS, CapsNetGraph.RECONSTRUCTION), conf.getNetworkOutputs());
        assertEquals(List.of(CapsNetGraph.DIGIT_CAPS, CapsNetGraph.LABEL), conf.getVertexInputs().get(CapsNetGraph.MASK));
        assertEquals(List.of(CapsNetGraph.MASK), conf.getVertexInputs().get(CapsNetGraph.DECODER_HIDDEN_1));
        assertEquals(List.of(CapsNetGraph.DECODER_HIDDEN_2), conf.getVertexInputs().get(CapsNetGraph.RECONSTRUCTION));
        OutputLayer reconstruction = (OutputLayer) layer(conf, CapsNetGraph.RECONSTRUCTION);
        assertEquals(784, reconstruction.getNOut());
        assertEquals(512, ((DenseLayer) layer(conf, CapsNetGraph.DECODER_HIDDEN_1)).getNOut());
        assertEquals(1024, ((DenseLayer) layer(conf, CapsNetGraph.DECODER_HIDDEN_2)).getNOut());
    }

    @Test
    void trainingBatchFeedsLabelsToTheMaskAndImagesToTheReconstruction() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
        INDArray labels = Nd4j.eye(10).getRows(2, 7, 0).castTo(DataType.FLOAT);
        MultiDataSet withDecoder = CapsNetGraph.trainingBatch(new DataSet(images, labels), true);
        assertEquals(2, withDecoder.getFeatures().length);
        assertSame(images, withDecoder.getFeatures(0));
        assertSame(labels, withDecoder.getFeatures(1));
        assertEquals(2, withDecoder.getLabels().length);
        assertSame(labels, withDecoder.getLabels(0));
        assertEquals(images.reshape(3, 784), withDecoder.getLabels(1));
        MultiDataSet withoutDecoder = CapsNetGraph.trainingBatch(new DataSet(images, labels), false);
        assertEquals(1, withoutDecoder.getFeatures().length);
        assertEquals(1, withoutDecoder.getLabels().length);
        assertSame(images, withoutDecoder.getFeatures(0));
        assertSame(labels, withoutDecoder.getLabels(0));
    }

    @Test
    void inferenceInputsGiveTheDecoderAnAllZeroLabelRow() {
        INDArray images = Nd4j.rand(DataType.DOUBLE, 4, 1, 28, 28);
        INDArray[] withDecoder = CapsNetGraph.inferenceInputs(graph(CapsNetMnist.builder().numClasses(7).dataType(DataType.DOUBLE)), images);
        assertEquals(2, withDecoder.length);
        assertSame(images, withDecoder[0]);
        assertArrayEquals(new long[]{4, 7}, withDecoder[1].shape());
        assertEquals(DataType.DOUBLE, withDecoder[1].dataType());
        assertEquals(0.0, withDecoder[1].amaxNumber().doubleValue());
        INDArray[] withoutDecoder = CapsNetGraph.inferenceInputs(graph(CapsNetMnist.builder().decoder(false)), images);
        assertEquals(1, withoutDecoder.length);
        assertEquals(images.castTo(DataType.FLOAT), withoutDecoder[0], "cast to the FLOAT network's data type");
    }

    @Test
    void inferenceInputsRunTheGraph() {
        ComputationGraph network = graph(CapsNetMnist.builder());
        network.init();
        INDArray[] outputs = network.output(false, CapsNetGraph.inferenceInputs(network, Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)));
        assertArrayEquals(new long[]{2, 10}, outputs[0].shape());
        assertArrayEquals(new long[]{2, 784}, outputs[1].shape());
    }

    @Test
    void rejectsGraphsThatBreakTheContract() {
        ComputationGraph dense = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer(CapsNetGraph.LENGTHS, new OutputLayer.Builder().nIn(4).nOut(2).build(), "in")
                .setOutputs(CapsNetGraph.LENGTHS).build());
        IllegalArgumentException noDigitCaps = assertThrows(IllegalArgumentException.class, () -> CapsNetGraph.numClasses(dense));
        assertTrue(noDigitCaps.getMessage().contains("no DigitCaps layer named 'digitcaps'"), noDigitCaps.getMessage());
        IllegalArgumentException checked = assertThrows(IllegalArgumentException.class, () -> CapsNetGraph.check(dense));
        assertEquals(noDigitCaps.getMessage(), checked.getMessage(), "check names the missing DigitCaps layer");

        ComputationGraph labelWithoutDecoder = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs(CapsNetGraph.IMAGE, CapsNetGraph.LABEL)
                .setInputTypes(InputType.feedForward(4), InputType.feedForward(2))
                .addVertex("both", new MergeVertex(), CapsNetGraph.IMAGE, CapsNetGraph.LABEL)
                .addLayer(CapsNetGraph.LENGTHS, new OutputLayer.Builder().nOut(2).build(), "both")
                .setOutputs(CapsNetGraph.LENGTHS).build());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class, () -> CapsNetGraph.hasDecoder(labelWithoutDecoder));
        assertTrue(half.getMessage().contains("an input 'label' but no output 'reconstruction'"), half.getMessage());

        ComputationGraph noLengths = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(4).nOut(2).build(), "in").setOutputs("out").build());
        IllegalArgumentException notCapsNet = assertThrows(IllegalArgumentException.class, () -> CapsNetGraph.check(noLengths));
        assertTrue(notCapsNet.getMessage().contains("an output 'lengths'") && notCapsNet.getMessage().contains("[out]"),
                notCapsNet.getMessage());
    }

    @Test
    void evaluatorReportsEveryBatch() throws Exception {
        ComputationGraph network = graph(CapsNetMnist.builder());
        network.init();
        int count = 7;
        byte[] pixels = new byte[count * 28 * 28];
        byte[] labels = new byte[count];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 13);
        }
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        IdxDataset data = IdxDataset.of(new IdxImages(count, 28, 28, pixels), new IdxLabels(labels), 10, "test");
        List<Long> batches = new ArrayList<>();
        List<Integer> counted = new ArrayList<>();
        Evaluation evaluation = CapsNetEvaluator.evaluate(network, data, 3, (soFar, done) -> {
            batches.add(done);
            counted.add(soFar.getNumRowCounter());
        });
        assertEquals(List.of(1L, 2L, 3L), batches);
        assertEquals(List.of(3, 6, 7), counted, "examples evaluated after each batch of 3");
        assertEquals(CapsNetEvaluator.evaluate(network, data, 7).accuracy(), evaluation.accuracy());
    }
}
