package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.layers.DigitCaps;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;

import static io.github.capsnet4j.testing.Identical.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transfer learning to five classes: one call gives a network whose convolution and primary capsules hold the
 * source's parameters; feature extraction keeps them through training, fine-tuning trains them; both learn.
 */
class CapsNetTransferTest {

    private static final int CLASSES = 5;

    /** A small five-class CapsNet, as TinyCapsNet's ten-class one, with a learning rate that shows learning in a few steps. */
    private static CapsNetMnist tinyFiveClasses() {
        return TinyCapsNet.builder().numClasses(CLASSES).updater(new Adam(0.005)).build();
    }

    @Test
    void thePretrainedNetworkStartsAFiveClassNetworkInOneCall() throws IOException {
        ComputationGraph pretrained = CapsNetMnist.builder().build().initPretrained(PretrainedType.MNIST);
        ComputationGraph network = CapsNetMnist.builder().numClasses(CLASSES).build()
                .initTransfer(pretrained, CapsNetTransfer.Mode.FEATURE_EXTRACTION);

        assertCopied(pretrained, network);
        assertInstanceOf(FrozenLayer.class, network.getLayer(CapsNetGraph.CONVOLUTION));
        assertInstanceOf(FrozenLayer.class, network.getLayer(CapsNetGraph.PRIMARY_CAPS));
        assertEquals(CLASSES, ((DigitCaps) network.getLayer(CapsNetGraph.DIGIT_CAPS).conf().getLayer()).getCapsules());
        INDArray[] outputs = network.output(false, TinyCapsNet.testDigits(3), Nd4j.zeros(3, CLASSES));
        assertArrayEquals(new long[]{3, CLASSES}, outputs[0].shape());
        assertArrayEquals(new long[]{3, 784}, outputs[1].shape());
    }

    @Test
    void featureExtractionTrainsOnlyTheNewLayers() throws IOException {
        ComputationGraph source = TinyCapsNet.network(true);
        ComputationGraph network = tinyFiveClasses().initTransfer(source, CapsNetTransfer.Mode.FEATURE_EXTRACTION);
        INDArray digitCapsBefore = network.getLayer(CapsNetGraph.DIGIT_CAPS).params().dup();

        assertLearns(network);

        assertCopied(source, network);   // still the source's after training
        assertNotEquals(digitCapsBefore, network.getLayer(CapsNetGraph.DIGIT_CAPS).params());
    }

    @Test
    void fineTuningTrainsTheCopiedLayersToo() throws IOException {
        ComputationGraph source = TinyCapsNet.network(true);
        ComputationGraph network = tinyFiveClasses().initTransfer(source, CapsNetTransfer.Mode.FINE_TUNING);
        assertCopied(source, network);

        assertLearns(network);

        for (String layer : CapsNetTransfer.TRANSFERRED_LAYERS) {
            assertNotEquals(source.getLayer(layer).params(), network.getLayer(layer).params(), layer + " trained on");
        }
    }

    @Test
    void aFrozenNetworkPredictsAndSurvivesModelSerializer(@TempDir Path directory) throws IOException {
        ComputationGraph network = tinyFiveClasses().initTransfer(TinyCapsNet.network(true), CapsNetTransfer.Mode.FEATURE_EXTRACTION);
        File file = directory.resolve("transferred.zip").toFile();
        ModelSerializer.writeModel(network, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertIdentical(network.params(), restored.params(), "parameters after ModelSerializer");
        assertInstanceOf(FrozenLayer.class, restored.getLayer(CapsNetGraph.CONVOLUTION));
        INDArray digits = TinyCapsNet.testDigits(2);
        assertEquals(new CapsNetPredictor(network).predict(digits).get(0).probabilities(),
                new CapsNetPredictor(restored).predict(digits).get(0).probabilities());
        assertEquals(CLASSES, new CapsNetPredictor(restored).numClasses());
    }

    @Test
    void aSourceOfAnotherShapeIsRejectedWithTheFix() {
        ComputationGraph source = TinyCapsNet.network(true);   // 16 convolution channels, the default network has 256
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapsNetMnist.builder().numClasses(CLASSES).build().initTransfer(source, CapsNetTransfer.Mode.FINE_TUNING));
        assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("[16")
                && e.getMessage().contains("[256") && e.getMessage().contains("convolutionChannels"), e.getMessage());
    }

    /** The transferred layers of {@code network} hold exactly {@code source}'s parameters. */
    private static void assertCopied(ComputationGraph source, ComputationGraph network) {
        for (String layer : CapsNetTransfer.TRANSFERRED_LAYERS) {
            Map<String, INDArray> expected = source.getLayer(layer).paramTable();
            Map<String, INDArray> actual = network.getLayer(layer).paramTable();
            assertEquals(expected.keySet(), actual.keySet());
            expected.forEach((name, value) -> assertIdentical(value, actual.get(name), layer + " " + name));
        }
    }

    /** A few steps on 16 digits of classes 0..4 lower the loss. */
    private static void assertLearns(ComputationGraph network) throws IOException {
        MultiDataSet batch = CapsNetGraph.trainingBatch(firstDigitsBelowFive(16), true);
        double before = network.score(batch);
        for (int step = 0; step < 8; step++) {
            network.fit(batch);
        }
        double after = network.score(batch);
        assertTrue(after < 0.9 * before, "the loss falls from " + before + " to " + after);
    }

    /** The first {@code count} training digits 0..4 with five-class one-hot labels. */
    private static DataSet firstDigitsBelowFive(int count) throws IOException {
        IdxDataset train = MnistData.official(Split.TRAIN);
        int[] examples = IntStream.range(0, train.size()).filter(i -> train.label(i) < CLASSES).limit(count).toArray();
        DataSet digits = train.batch(examples, new int[count], new int[count]);
        return new DataSet(digits.getFeatures(), digits.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(0, CLASSES)).dup());
    }
}
