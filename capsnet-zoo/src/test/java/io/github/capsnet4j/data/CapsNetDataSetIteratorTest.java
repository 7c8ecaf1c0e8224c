package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Batches have the right shapes; shuffling and shifting are random but reproducible, and off for evaluation. */
class CapsNetDataSetIteratorTest {

    private static IdxDataset mnistTest;

    @BeforeAll
    static void load() throws IOException {
        mnistTest = MnistData.official(Split.TEST).head(2000);
    }

    @Test
    void batchesHaveImageAndOneHotShapesAndTheLastOneIsSmaller() {
        CapsNetDataSetIterator it = CapsNetDataSetIterator.forTraining(mnistTest, 300, 1);
        List<DataSet> batches = drain(it);

        assertEquals(7, batches.size());
        assertArrayEquals(new long[] {300, 1, 28, 28}, batches.get(0).getFeatures().shape());
        assertArrayEquals(new long[] {300, 10}, batches.get(0).getLabels().shape());
        assertArrayEquals(new long[] {200, 1, 28, 28}, batches.get(6).getFeatures().shape());
        assertEquals(2000, it.totalExamples());
        assertEquals(784, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(300, it.batch());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), it.getLabels());
        assertTrue(it.resetSupported());
    }

    @Test
    void theSameSeedGivesTheSameEpochsAndEachEpochADifferentOrder() {
        CapsNetDataSetIterator a = CapsNetDataSetIterator.forTraining(mnistTest, 500, 7);
        CapsNetDataSetIterator b = CapsNetDataSetIterator.forTraining(mnistTest, 500, 7);
        INDArray firstEpochLabels = a.next().getLabels();
        assertEquals(firstEpochLabels, b.next().getLabels());

        a.reset();
        b.reset();
        DataSet secondEpoch = a.next();
        assertEquals(1, a.epoch());
        assertEquals(secondEpoch.getFeatures(), b.next().getFeatures());
        assertNotEquals(firstEpochLabels, secondEpoch.getLabels());

        INDArray otherSeed = CapsNetDataSetIterator.forTraining(mnistTest, 500, 8).next().getLabels();
        assertNotEquals(firstEpochLabels, otherSeed);
    }

    @Test
    void anEpochVisitsEveryExampleOnce() {
        int[] seen = new int[10];
        for (DataSet batch : drain(CapsNetDataSetIterator.forTraining(mnistTest, 128, 3))) {
            INDArray perClass = batch.getLabels().sum(0);
            for (int c = 0; c < 10; c++) {
                seen[c] += perClass.getInt(c);
            }
        }
        assertArrayEquals(mnistTest.classCounts(), seen);
    }

    @Test
    void evaluationIsInFileOrderAndUnshifted() {
        CapsNetDataSetIterator it = CapsNetDataSetIterator.forEvaluation(mnistTest, 2000);
        DataSet all = mnistTest.toDataSet();

        assertEquals(all.getFeatures(), it.next().getFeatures());
        assertFalse(it.hasNext());
        it.reset();
        assertEquals(all.getLabels(), it.next().getLabels());
    }

    @Test
    void shiftsMoveADotByUpToTwoPixelsInEachDirectionAndKeepTheShape() throws IOException {
        byte[] dot = new byte[8 * 8];
        dot[4 * 8 + 4] = (byte) 255; // one white pixel at row 4, column 4
        IdxDataset one = IdxDataset.of(new IdxImages(1, 8, 8, dot), new IdxLabels(new byte[] {0}), 1, "dot");
        CapsNetDataSetIterator it = CapsNetDataSetIterator.forTraining(one, 1, 11);

        Set<String> positions = new HashSet<>();
        for (int epoch = 0; epoch < 200; epoch++) {
            INDArray image = it.next().getFeatures();
            assertArrayEquals(new long[] {1, 1, 8, 8}, image.shape());
            assertEquals(1.0, image.sumNumber().doubleValue(), "the dot stays whole");
            long at = image.reshape(64).argMax(0).getLong(0);
            int row = (int) at / 8;
            int column = (int) at % 8;
            assertTrue(Math.abs(row - 4) <= 2 && Math.abs(column - 4) <= 2, "dot moved to " + row + "," + column);
            positions.add(row + "," + column);
            it.reset();
        }
        assertEquals(25, positions.size(), "every shift in -2..2 x -2..2 occurs");
    }

    @Test
    void pixelsShiftedOutAreReplacedByZeros() {
        IdxImages images = TestData.images(1, 3, 3);
        float[] shifted = new float[9];
        images.copyScaled(0, shifted, 0, 1, -1); // one down, one left

        assertEquals(0f, shifted[0]); // top row is padding
        assertEquals(0f, shifted[2 + 3]); // right column is padding
        assertEquals(images.pixel(0, 0, 1) / 255f, shifted[3]); // (1,0) comes from (0,1)
        assertEquals(images.pixel(0, 1, 2) / 255f, shifted[2 * 3 + 1]); // (2,1) comes from (1,2)
    }

    @Test
    void classNamesCanBeReplacedForDisplay() {
        List<String> letters = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        IdxDataset named = mnistTest.withLabelNames(letters);

        assertEquals(letters, CapsNetDataSetIterator.forEvaluation(named, 10).getLabels());
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class, () -> mnistTest.withLabelNames(List.of("a")));
        assertTrue(names.getMessage().startsWith("1 label names for 10 classes") && names.getMessage().contains("one name per class"),
                names.getMessage());
    }

    @Test
    void thePreProcessorIsAppliedToEachBatch() {
        CapsNetDataSetIterator it = CapsNetDataSetIterator.forEvaluation(mnistTest, 10);
        it.setPreProcessor(batch -> batch.setFeatures(batch.getFeatures().reshape(10, 784)));

        assertArrayEquals(new long[] {10, 784}, it.next().getFeatures().shape());
    }

    @Test
    void flatMnistFeaturesAreReshapedToImages() {
        DataSet flat = new DataSet(mnistTest.toDataSet().getFeatures().reshape(2000, 784), null);
        new ReshapeToImagePreProcessor(28, 28).preProcess(flat);

        assertArrayEquals(new long[] {2000, 1, 28, 28}, flat.getFeatures().shape());
        assertEquals(mnistTest.toDataSet().getFeatures(), flat.getFeatures());
    }

    @Test
    void aSpentEpochRefusesMoreBatches() {
        CapsNetDataSetIterator it = CapsNetDataSetIterator.forEvaluation(mnistTest, 2000);
        it.next();

        assertThrows(NoSuchElementException.class, it::next);
    }

    private static List<DataSet> drain(CapsNetDataSetIterator it) {
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        return batches;
    }
}
