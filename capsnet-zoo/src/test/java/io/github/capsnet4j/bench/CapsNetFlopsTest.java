package io.github.capsnet4j.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapsNetFlopsTest {

    @Test
    void forwardPassIsTheSumOfTheLayerTable() {
        long conv1 = 2L * 20 * 20 * 256 * 81;
        long primary = 2L * 6 * 6 * 256 * 81 * 256;
        long predictions = 2L * 1152 * 10 * 16 * 8;
        long routing = 3 * 2 * (2L * 1152 * 10 * 16);
        long decoder = 2L * (160 * 512 + 512 * 1024 + 1024 * 784);
        assertEquals(conv1 + primary + predictions + routing + decoder, CapsNetFlops.forwardPerImage());
        assertEquals(406_773_760L, CapsNetFlops.forwardPerImage());
    }

    @Test
    void trainingIsThreeForwardPassesAboutOnePointTwoGflop() {
        assertEquals(3 * CapsNetFlops.forwardPerImage(), CapsNetFlops.trainPerImage());
        assertEquals(1.2, CapsNetFlops.trainPerImage() / 1e9, 0.03);
        assertEquals(CapsNetFlops.trainPerImage(), CapsNetFlops.perImage(BenchResults.TRAIN));
        assertEquals(CapsNetFlops.forwardPerImage(), CapsNetFlops.perImage(BenchResults.INFER));
        assertThrows(IllegalArgumentException.class, () -> CapsNetFlops.perImage("peak_sgemm"));
    }

    @Test
    void matmulPeakCountsTwoNCubed() {
        assertEquals(2.0 * 2048 * 2048 * 2048 / 0.1 / 1e9, MatmulPeak.gflops(2048, 100), 1e-9);
    }
}
