package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.CapsNetDataSetIterator;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capsule graph (two inputs, two outputs) trains with DL4J's ParallelWrapper on two workers, each a copy of the
 * network on its own thread, in both of its modes: parameter averaging and shared (threshold-encoded) gradients.
 */
class ParallelWrapperTest {

    @ParameterizedTest
    @EnumSource(value = ParallelWrapper.TrainingMode.class, names = {"AVERAGING", "SHARED_GRADIENTS"})
    void theCapsuleGraphTrainsOnTwoWorkers(ParallelWrapper.TrainingMode mode) throws Exception {
        ComputationGraph network = TinyCapsNet.network(true);
        MultiDataSetIterator batches = CapsNetGraph.trainingBatches(network,
                CapsNetDataSetIterator.forEvaluation(MnistData.official(Split.TRAIN).head(64), 8));
        double before = meanScore(network, batches);

        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(network)
                .workers(2)
                .prefetchBuffer(2)
                .averagingFrequency(2)
                .trainingMode(mode)
                .build()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                batches.reset();
                wrapper.fit(batches);
            }
        }

        double after = meanScore(network, batches);
        assertFalse(network.params().isNaN().any(), "finite parameters");
        // shared-gradients mode applies threshold-encoded (sparse) updates, which move the loss less in 24 steps
        assertTrue(after < 0.95 * before, mode + ": the loss falls from " + before + " to " + after);
    }

    private static double meanScore(ComputationGraph network, MultiDataSetIterator batches) {
        batches.reset();
        List<Double> scores = new ArrayList<>();
        while (batches.hasNext()) {
            MultiDataSet batch = batches.next();
            scores.add(network.score(batch));
        }
        return scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
