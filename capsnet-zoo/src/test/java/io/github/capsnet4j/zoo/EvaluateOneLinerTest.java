package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's {@code network.evaluate(iterator)} refuses the two-input CapsNet; {@code CapsNetEvaluator.evaluate(network,
 * iterator)} takes the same iterator (flattened images, as DL4J's MnistDataSetIterator gives them) and agrees with the
 * evaluation on the IDX data.
 */
class EvaluateOneLinerTest {

    @Test
    void evaluatesAnyDataSetIteratorLikeDl4jsEvaluate() throws IOException {
        ComputationGraph network = CapsNetMnist.builder().build().initPretrained(PretrainedType.MNIST);
        IdxDataset test = MnistData.official(Split.TEST).head(200);
        DataSet digits = test.toDataSet();
        DataSet flat = new DataSet(digits.getFeatures().reshape(200, 784), digits.getLabels());
        ListDataSetIterator<DataSet> iterator = new ListDataSetIterator<>(flat.asList(), 50);

        RuntimeException refused = assertThrows(RuntimeException.class, () -> network.evaluate(iterator));
        assertTrue(refused.getMessage().contains("network has 2 inputs"), "the message the README quotes: " + refused.getMessage());
        Evaluation evaluation = CapsNetEvaluator.evaluate(network, iterator);

        assertEquals(200, evaluation.getNumRowCounter());
        assertEquals(CapsNetEvaluator.evaluate(network, test, 64).accuracy(), evaluation.accuracy(), 1e-12);
        assertTrue(evaluation.accuracy() > 0.95, "the pretrained network: " + evaluation.accuracy());
    }
}
