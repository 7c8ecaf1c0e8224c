package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.TinyCapsNet;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's memory report ({@code ComputationGraphConfiguration.getMemoryReport}) works for every layer and the vertex:
 * each has its own report, the parameters it reports are the ones it has, and Adam's state is twice that.
 */
class MemoryReportTest {

    private static ComputationGraphConfiguration papersNetwork() {
        return new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .graphBuilder()
                .addInputs("image", "label")
                .setInputTypes(InputType.convolutional(28, 28, 1), InputType.feedForward(10))
                .addLayer("conv1", Convolution.builder(9, 9).nOut(256).activation(Activation.RELU).build(), "image")
                .addLayer("primarycaps", PrimaryCaps.builder().build(), "conv1")
                .addLayer("digitcaps", DigitCaps.builder().build(), "primarycaps")
                .addLayer("capsulelength", CapsuleLength.builder().build(), "digitcaps")
                .addLayer("lengths", TinyCapsNet.marginLoss(10), "capsulelength")
                .addVertex("mask", new CapsuleMask(), "digitcaps", "label")
                .addLayer("decoder1", new DenseLayer.Builder().nOut(512).activation(Activation.RELU).build(), "mask")
                .addLayer("decoder2", new DenseLayer.Builder().nOut(1024).activation(Activation.RELU).build(), "decoder1")
                .addLayer("reconstruction", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(784)
                        .activation(Activation.SIGMOID).build(), "decoder2")
                .setOutputs("lengths", "reconstruction")
                .build();
    }

    @Test
    void everyLayerReportsItsParametersAndTheirUpdaterState() {
        ComputationGraphConfiguration configuration = papersNetwork();
        NetworkMemoryReport report = configuration.getMemoryReport(InputType.convolutional(28, 28, 1), InputType.feedForward(10));
        Map<String, MemoryReport> reports = report.getLayerAndVertexReports();
        long parameters = 0;
        for (Map.Entry<String, GraphVertex> vertex : configuration.getVertices().entrySet()) {
            assertTrue(reports.containsKey(vertex.getKey()), "a report for " + vertex.getKey());
            if (vertex.getValue() instanceof LayerVertex) {
                org.deeplearning4j.nn.conf.layers.Layer layer = ((LayerVertex) vertex.getValue()).getLayerConf().getLayer();
                long own = layer.initializer().numParams(layer);
                MemoryReport layerReport = reports.get(vertex.getKey());
                assertEquals(4 * own, layerReport.getMemoryBytes(MemoryType.PARAMETERS, 32, MemoryUseMode.TRAINING,
                        CacheMode.NONE, DataType.FLOAT), vertex.getKey() + " parameters");
                assertEquals(2 * 4 * own, layerReport.getMemoryBytes(MemoryType.UPDATER_STATE, 32, MemoryUseMode.TRAINING,
                        CacheMode.NONE, DataType.FLOAT), vertex.getKey() + " Adam state");
                parameters += own;
            }
        }
        assertEquals(8_215_568L, parameters, "the paper's parameter count");
        assertEquals(4 * parameters, report.getMemoryBytes(MemoryType.PARAMETERS, 32, MemoryUseMode.TRAINING, CacheMode.NONE,
                DataType.FLOAT));
        long inference = report.getTotalMemoryBytes(32, MemoryUseMode.INFERENCE, CacheMode.NONE, DataType.FLOAT);
        long training = report.getTotalMemoryBytes(32, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        assertTrue(inference > 4 * parameters && training > inference, "inference " + inference + ", training " + training);
    }
}
