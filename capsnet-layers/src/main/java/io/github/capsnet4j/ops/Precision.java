package io.github.capsnet4j.ops;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The floating-point types capsnet4j's capsule computations run in: FLOAT (float32) and DOUBLE (float64). The two
 * 16-bit types are refused, by these ops and by the capsule layers ({@code PrimaryCaps}, {@code DigitCaps},
 * {@code CapsuleLength}, {@code CapsuleMask}), because the equations are not computed correctly in them. Measured on
 * the paper's DigitCaps sizes (û = W u for 1,152 × 8-D inputs, 3 routing iterations, 10 × 16-D outputs, batch 4),
 * against float64:
 * <ul>
 *   <li>HALF (float16): output capsules off by 0.9 % and the gradient by 0.6 % of their largest value (float32:
 *       1e-6), and the ε of the squash (1e-8) and of the capsule length (1e-12) round to 0, so
 *       {@code squash(0)} and its gradient are NaN;</li>
 *   <li>BFLOAT16: the ε survive, but with 8 significant bits the routing's sums over 1,152 predictions leave the
 *       output capsules off by 6.5 % and the gradient by 2.8 %. (DL4J 1.0.0-M2.1 accepts no BFLOAT16 network anyway;
 *       the ops refuse bfloat16 arrays.)</li>
 * </ul>
 * A FLOAT or DOUBLE network still accepts input arrays of any type, HALF and BFLOAT16 included: the layers cast their
 * input to the network's type, as DL4J's own layers do.
 */
public final class Precision {

    private Precision() {
    }

    /**
     * Checks that {@code type} is FLOAT or DOUBLE.
     *
     * @param where what computes in {@code type}, for the message (e.g. "PrimaryCaps 'primarycaps'")
     * @throws IllegalArgumentException naming {@code where}, the type and the fix
     */
    public static void requireSupported(DataType type, String where) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + " computes in FLOAT or DOUBLE, not " + type + "."
                    + (type == DataType.HALF ? " In float16 the squash's and the capsule length's ε round to 0 (NaN at a zero"
                    + " capsule) and routing loses about 1 % accuracy." : "")
                    + (type == DataType.BFLOAT16 ? " In bfloat16 routing's sums over the input capsules lose a few percent"
                    + " of accuracy." : "")
                    + " Fix: use DataType.FLOAT (e.g. new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT));"
                    + " input arrays of any type are cast to the network's type.");
        }
    }
}
