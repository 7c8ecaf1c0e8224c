package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Reads the real Fashion-MNIST as Debian's {@code dataset-fashion-mnist} installs it (gzip-compressed
 * IDX files); skipped where that package is absent.
 */
class IdxFashionMnistTest {

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void allSplitsLoadWithTenBalancedClasses() throws IOException {
        assumeTrue(Files.isDirectory(FASHION_MNIST), "dataset-fashion-mnist is not installed");

        IdxDataset train = MnistData.fromDirectory(FASHION_MNIST, Split.TRAIN);
        IdxDataset validation = MnistData.fromDirectory(FASHION_MNIST, Split.VALIDATION);
        IdxDataset test = MnistData.fromDirectory(FASHION_MNIST, Split.TEST);

        assertEquals(55000, train.size());
        assertEquals(5000, validation.size());
        assertEquals(10000, test.size());
        int[] trainingFileCounts = train.classCounts();
        int[] validationCounts = validation.classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, trainingFileCounts[c] + validationCounts[c], "class " + c + " of the 60,000 training images");
            assertTrue(validationCounts[c] > 400, "class " + c + " in the validation split: " + validationCounts[c]);
        }
        int[] thousandEach = new int[10];
        Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, test.classCounts());

        DataSet batch = CapsNetDataSetIterator.forTraining(test, 32, 5).next();
        assertArrayEquals(new long[] {32, 1, 28, 28}, batch.getFeatures().shape());
        assertEquals(1.0, batch.getLabels().sumNumber().doubleValue() / 32, 1e-9);
    }
}
