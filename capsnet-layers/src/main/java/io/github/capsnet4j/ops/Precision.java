package io.github.capsnet4j.ops;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The floating-point types capsnet4j computes in: FLOAT (float32) and DOUBLE (float64). The two 16-bit types are
 * refused, by the ops and by every layer, because the capsule equations are not correct in them:
 * <ul>
 *   <li>HALF (float16): the ε of the squash (1e-8) and of the capsule length (1e-12) round to 0, so a zero capsule
 *       gives {@code 0/0 = NaN} in value and gradient; squared norms of long capsules overflow above 65,504; and
 *       ND4J's CPU kernels run HALF many times slower than FLOAT;</li>
 *   <li>BFLOAT16: the ε survive, but with 8 significant bits the routing's sums over 1,152 predictions and the
 *       squash's {@code |s|²/(1 + |s|²)} lose two to three decimal digits against float32.</li>
 * </ul>
 * A FLOAT or DOUBLE network still accepts input arrays of any type, HALF included: the layers cast their input to
 * the network's type, as DL4J's own layers do.
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
    public static DataType requireSupported(DataType type, String where) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + " computes in FLOAT or DOUBLE, not " + type + "."
                    + (type == DataType.HALF || type == DataType.BFLOAT16
                    ? " In 16-bit floating point the squash and capsule-length epsilons (1e-8, 1e-12) vanish or lose their"
                    + " effect and routing sums lose most of their digits (NaN gradients at zero capsules)." : "")
                    + " Fix: use DataType.FLOAT (e.g. new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT));"
                    + " input arrays of any type are cast to the network's type.");
        }
        return type;
    }
}
