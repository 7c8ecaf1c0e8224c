package io.github.capsnet4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bit-for-bit equality of two arrays: same data type, same shape, every element the same bits. ({@code INDArray.equals}
 * passes arrays whose elements differ by up to 1e-5, too loose for "the same weights" after a resumed run.)
 */
public final class Identical {

    private Identical() {
    }

    public static void assertIdentical(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        if (expected.dataType() == DataType.DOUBLE) {
            assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble(), what);
        } else {
            assertArrayEquals(expected.castTo(DataType.FLOAT).dup('c').data().asFloat(),
                    actual.castTo(DataType.FLOAT).dup('c').data().asFloat(), what);
        }
    }
}
