package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void bothSplitsLoadWithTenBalancedClasses() throws IOException {
        assumeTrue(Files.isDirectory(FASHION_MNIST), "dataset-fashion-mnist is not installed");

        IdxDataset train = MnistData.fromDirectory(FASHION_MNIST, Split.TRAIN);
        IdxDataset test = MnistData.fromDirectory(FASHION_MNIST, Split.TEST);

        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        int[] sixThousandEach = new int[10];
        Arrays.fill(sixThousandEach, 6000);
        assertArrayEquals(sixThousandEach, train.classCounts());

        DataSet batch = CapsNetDataSetIterator.forTraining(test, 32, 5).next();
        assertArrayEquals(new long[] {32, 1, 28, 28}, batch.getFeatures().shape());
        assertEquals(1.0, batch.getLabels().sumNumber().doubleValue() / 32, 1e-9);
    }
}
