package io.github.capsnet4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Elementwise comparison with the fixtures' tolerances: 1e-9 relative in float64, 1e-5 in float32. */
public final class Tolerance {

    private Tolerance() {
    }

    public static double relative(DataType type) {
        return type == DataType.DOUBLE ? 1e-9 : 1e-5;
    }

    /**
     * Asserts |actual − expected| ≤ tol · max(|expected|, floor) elementwise, where floor is the largest |expected|
     * times 1e-3 in float64 and 1e-2 in float32, so that entries that cancel to (almost) zero are compared against
     * the tensor's scale rather than their own rounding noise.
     */
    public static void assertClose(String what, INDArray expected, INDArray actual, DataType type) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double tol = relative(type);
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double scale = 0;
        for (double x : e) {
            scale = Math.max(scale, Math.abs(x));
        }
        scale *= type == DataType.DOUBLE ? 1e-3 : 1e-2;
        for (int i = 0; i < e.length; i++) {
            double bound = tol * Math.max(Math.abs(e[i]), scale);
            if (!(Math.abs(a[i] - e[i]) <= bound)) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + " (tolerance " + bound + ")");
            }
        }
    }
}
