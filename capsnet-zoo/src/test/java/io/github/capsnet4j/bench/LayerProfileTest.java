package io.github.capsnet4j.bench;

import io.github.capsnet4j.zoo.CapsNetGraph;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;
import java.util.Map;

import static io.github.capsnet4j.testing.Identical.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-layer profile times every layer's forward and backward pass and changes nothing the network computes. */
class LayerProfileTest {

    private static ComputationGraph smallCapsNet() {
        return CapsNetMnist.builder().convolutionChannels(16).primaryCapsules(4, 8).seed(5).build().init();
    }

    @Test
    void timesEachLayerAndPassAndTheRest() {
        ComputationGraph graph = smallCapsNet();
        DataSet data = BenchWorker.randomBatch(graph, 4);
        Map<String, Double> step = new LayerProfile(graph).trainingStep(CapsNetGraph.trainingBatch(data, true), 1, 2);
        for (String layer : List.of(CapsNetGraph.CONVOLUTION, CapsNetGraph.PRIMARY_CAPS, CapsNetGraph.DIGIT_CAPS,
                CapsNetGraph.CAPSULE_LENGTH, CapsNetGraph.DECODER_HIDDEN_1)) {
            assertTrue(step.get(layer + " forward") > 0, layer + " forward in " + step);
            assertTrue(step.get(layer + " backward") > 0, layer + " backward in " + step);
        }
        assertTrue(step.containsKey(LayerProfile.REST), "the rest in " + step);
        String table = LayerProfile.table("training step, batch 4", step);
        assertTrue(table.contains("| digitcaps backward |"), table);

        Map<String, Double> inference = new LayerProfile(smallCapsNet()).inference(data.getFeatures(), 1, 1);
        assertTrue(inference.get(CapsNetGraph.DIGIT_CAPS + " forward") > 0, "inference " + inference);
        assertTrue(!inference.containsKey(CapsNetGraph.DIGIT_CAPS + " backward"), "no backward pass in inference: " + inference);
    }

    @Test
    void aProfiledNetworkTrainsExactlyLikeAnUnprofiledOne() {
        ComputationGraph plain = smallCapsNet();
        ComputationGraph profiled = smallCapsNet();
        MultiDataSet batch = CapsNetGraph.trainingBatch(BenchWorker.randomBatch(plain, 4), true);
        assertIdentical(plain.params(), profiled.params(), "same start");
        new LayerProfile(profiled).trainingStep(batch, 0, 2);
        plain.fit(batch);
        plain.fit(batch);
        assertIdentical(plain.params(), profiled.params(), "same weights after two steps");
    }
}
