package io.github.capsnet4j.zoo;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FLOAT and DOUBLE networks take FLOAT and DOUBLE images through the zoo's entry points (CapsNetPredictor,
 * CapsNetEvaluator, CapsNetGraph.trainingBatches): the images are cast to the network's data type, so the results do
 * not depend on the images'.
 */
class ZooDataTypesTest {

    @ParameterizedTest(name = "{0} network, {1} images")
    @CsvSource({"FLOAT, FLOAT", "FLOAT, DOUBLE", "DOUBLE, FLOAT", "DOUBLE, DOUBLE"})
    void predictorAndEvaluatorTakeEitherType(DataType networkType, DataType imageType) throws IOException {
        ComputationGraph network = TinyCapsNet.builder().dataType(networkType).build().init();
        INDArray digits = TinyCapsNet.testDigits(4);
        INDArray expected = CapsNetEvaluator.capsuleLengths(network, digits.castTo(networkType));

        INDArray lengths = CapsNetEvaluator.capsuleLengths(network, digits.castTo(imageType));
        assertEquals(networkType, lengths.dataType());
        assertTrue(expected.equalsWithEps(lengths, 1e-6), "capsule lengths do not depend on the images' type");

        Prediction prediction = new CapsNetPredictor(network).predict(digits.castTo(imageType)).get(0);
        assertTrue(expected.getRow(0).equalsWithEps(prediction.probabilities(), 1e-6));

        DataSet flat = new DataSet(digits.castTo(imageType).reshape(4, 784), Nd4j.eye(10).getRows(0, 1, 2, 3).castTo(imageType));
        Evaluation evaluation = CapsNetEvaluator.evaluate(network, new ListDataSetIterator<>(List.of(flat), 4));
        assertEquals(4, evaluation.getNumRowCounter());
    }

    @ParameterizedTest(name = "{0} network, {1} images")
    @CsvSource({"FLOAT, DOUBLE", "DOUBLE, FLOAT"})
    void trainingBatchesTakeEitherType(DataType networkType, DataType imageType) throws IOException {
        ComputationGraph network = TinyCapsNet.builder().dataType(networkType).build().init();
        INDArray before = network.params().dup();
        DataSet flat = new DataSet(TinyCapsNet.testDigits(4).castTo(imageType).reshape(4, 784), Nd4j.eye(10).getRows(0, 1, 2, 3).castTo(imageType));

        network.fit(CapsNetGraph.trainingBatches(network, new ListDataSetIterator<>(List.of(flat), 4)));

        assertEquals(networkType, network.params().dataType());
        assertFalse(network.params().isNaN().any());
        assertNotEquals(before, network.params(), "one training step changed the parameters");
    }

    @ParameterizedTest
    @CsvSource({"HALF", "BFLOAT16", "INT"})
    void theBuilderRefusesTypesTheCapsulesDoNotComputeIn(DataType type) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CapsNetMnist.builder().dataType(type));
        assertTrue(e.getMessage().startsWith("CapsNetMnist computes in FLOAT or DOUBLE, not " + type + "."), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: use DataType.FLOAT"), e.getMessage());
    }
}
