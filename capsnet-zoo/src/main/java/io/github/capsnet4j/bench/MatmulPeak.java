package io.github.capsnet4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine's single-precision matrix-multiply rate as ND4J reaches it: {@link #REPS} timed
 * {@code Nd4j.gemm} of two random {@code N×N} float matrices ({@code N} = {@value #N}) after {@link #WARMUP}
 * untimed ones, {@code 2·N³} FLOP each. This is the "peak" the CapsNet's FLOP rate is compared with; the
 * PyTorch reference's {@code peak} sub-command measures the same product with PyTorch's BLAS.
 */
final class MatmulPeak {

    /** The worker that measures it. */
    static final String WORKER = "nd4j-peak";
    static final int N = 2048;
    static final int REPS = 10;
    static final int WARMUP = 3;

    private MatmulPeak() {
    }

    /** GFLOP/s of an {@code n×n} by {@code n×n} product taking {@code ms} milliseconds. */
    static double gflops(int n, double ms) {
        return 2.0 * n * n * n / (ms * 1e6);
    }

    /** Times the products and returns a {@value BenchResults#PEAK} line like the PyTorch reference's. */
    static ObjectNode measure() {
        INDArray a = Nd4j.rand(DataType.FLOAT, N, N);
        INDArray b = Nd4j.rand(DataType.FLOAT, N, N);
        INDArray c = Nd4j.create(DataType.FLOAT, N, N);
        for (int i = 0; i < WARMUP; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < REPS; i++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            times.add((System.nanoTime() - start) / 1e6);
        }
        double median = Stats.median(times);
        ObjectNode line = BenchWorker.timingLine(WORKER, BenchResults.PEAK, times);
        line.put("n", N);
        line.put("gflops_median", gflops(N, median));
        return line;
    }
}
