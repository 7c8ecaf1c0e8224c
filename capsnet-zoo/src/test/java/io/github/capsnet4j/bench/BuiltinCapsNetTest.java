package io.github.capsnet4j.bench;

import io.github.capsnet4j.zoo.CapsNetGraph;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DL4J built-in peer is the same network as ours: parameters, inputs, outputs and decoder. */
class BuiltinCapsNetTest {

    @Test
    void sameParameterCountAndOutputsAsCapsNetMnist() {
        ComputationGraph builtin = BuiltinCapsNet.init();
        assertEquals(CapsNetMnist.builder().build().init().numParams(), builtin.numParams());
        assertEquals(8_215_568L, builtin.numParams());
        INDArray[] out = builtin.output(false, CapsNetGraph.inferenceInputs(builtin, Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)));
        assertArrayEquals(new long[]{2, 10}, out[0].shape());
        assertArrayEquals(new long[]{2, 784}, out[1].shape());
    }

    @Test
    void keepsTheGraphContractWithTheSameDecoder() {
        ComputationGraphConfiguration builtin = BuiltinCapsNet.conf();
        ComputationGraphConfiguration ours = CapsNetMnist.builder().build().conf();
        ComputationGraph graph = new ComputationGraph(builtin);
        assertTrue(CapsNetGraph.hasDecoder(graph));
        assertEquals(10, CapsNetGraph.numClasses(graph));
        assertEquals(16, CapsNetGraph.capsuleDimension(graph));
        assertEquals(ours.getNetworkInputs(), builtin.getNetworkInputs());
        assertEquals(ours.getNetworkOutputs(), builtin.getNetworkOutputs());
        List<String> decoder = new ArrayList<>(List.of(CapsNetGraph.MASK, CapsNetGraph.LENGTHS));
        decoder.addAll(CapsNetGraph.DECODER_LAYERS);
        for (String name : decoder) {
            assertEquals(ours.getVertexInputs().get(name), builtin.getVertexInputs().get(name), name + "'s inputs");
            assertEquals(configuration(ours, name), configuration(builtin, name), name + "'s configuration");
        }
    }

    /** A layer's configuration, or the vertex itself if it is no layer. */
    private static Object configuration(ComputationGraphConfiguration conf, String name) {
        GraphVertex vertex = conf.getVertices().get(name);
        return vertex instanceof LayerVertex ? ((LayerVertex) vertex).getLayerConf().getLayer() : vertex;
    }
}
