package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The squashing non-linearity, paper eq. (1):
 *
 * <pre>
 *   v = |s|² / (1 + |s|²) · s / sqrt(|s|² + ε),   ε = 1e-8
 * </pre>
 *
 * Short vectors shrink to almost zero length, long vectors to a length just below one; the
 * orientation is kept. ε keeps value and gradient finite at {@code s = 0} (as in the labml reference).
 * The norm is taken over the capsule axis, the last one.
 *
 * <p>Two forms of the same equation:
 * <ul>
 *   <li>SameDiff, {@link #squash(SameDiff, SDVariable)}, differentiated by SameDiff: for users who build SameDiff
 *       graphs;</li>
 *   <li>plain arrays, {@link #squash(INDArray, INDArray)} and its hand-written backward pass
 *       {@link #backward(INDArray, INDArray)}: what the {@code PrimaryCaps} layer
 *       ({@code layers.runtime.PrimaryCapsLayer}) and the array form of {@link DynamicRouting} use.</li>
 * </ul>
 * Writing {@code v = g(q)·s} with {@code q = |s|²}, {@code g(q) = q / ((1 + q)·sqrt(q + ε))}, the backward pass is
 *
 * <pre>
 *   ∂L/∂s = g(q)·∂L/∂v + 2·g'(q)·(s · ∂L/∂v)·s,   g'(q) = g(q)/q − g(q)/(1 + q) − g(q)/(2(q + ε))
 *                                                     = (1 − q/(1 + q) − q/(2(q + ε))) / ((1 + q)·sqrt(q + ε))
 * </pre>
 *
 * (the last form has no division by q, so it is finite at s = 0). Both forms compute in FLOAT or DOUBLE only
 * ({@link Precision}).
 */
public final class Squash {

    /** ε inside the square root of eq. (1). */
    public static final double EPSILON = 1e-8;

    private Squash() {
    }

    /**
     * Squashes capsules of shape {@code [batch, capsules, dimension]} over their last axis.
     *
     * @param sd the graph
     * @param s  unsquashed capsules, rank 3
     * @return {@code v}, same shape as {@code s}
     */
    public static SDVariable squash(SameDiff sd, SDVariable s) {
        return squash(sd, s, 3);
    }

    /**
     * Squashes over the last axis of a tensor of the given rank. The rank is passed in because
     * {@code SDVariable.getShape()} is unknown for intermediate results, and reductions over a
     * negative axis with keepDims are wrong in ND4J 1.0.0-M2.1.
     *
     * @param sd   the graph
     * @param s    unsquashed vectors along the last axis
     * @param rank rank of {@code s} (at least 1)
     * @return {@code v}, same shape as {@code s}
     */
    public static SDVariable squash(SameDiff sd, SDVariable s, int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("squash needs a tensor of rank >= 1, got rank " + rank);
        }
        Precision.requireSupported(s.dataType(), "Squash");
        int lastAxis = rank - 1;
        SDVariable squaredNorm = s.mul(s).sum(true, lastAxis);            // |s|², kept for broadcasting
        SDVariable scale = squaredNorm.div(squaredNorm.add(1.0));           // |s|² / (1 + |s|²)
        SDVariable inverseNorm = sd.math().rsqrt(squaredNorm.add(EPSILON)); // 1 / sqrt(|s|² + ε)
        return s.mul(scale.mul(inverseNorm));
    }

    /**
     * Squashes capsules {@code s [batch, capsules, dimension]} over their last axis.
     *
     * @return a new array {@code v}, same shape as {@code s}
     */
    public static INDArray squash(INDArray s) {
        return squash(s, s.ulike());
    }

    /**
     * Squashes capsules {@code s [batch, capsules, dimension]} over their last axis into {@code v}.
     *
     * @param v where {@code v} goes: an array of {@code s}'s shape and type (e.g. one in a layer's workspace)
     * @return {@code v}
     */
    public static INDArray squash(INDArray s, INDArray v) {
        requireCapsules(s);
        return s.mul(scale(squaredNorm(s)), v);                            // broadcast over the capsule dimension
    }

    /**
     * Backward pass of {@link #squash(INDArray, INDArray)}.
     *
     * @param s     the unsquashed capsules of the forward pass, {@code [batch, capsules, dimension]}
     * @param gradV ∂L/∂v, same shape
     * @return ∂L/∂s, a new array of the same shape
     */
    public static INDArray backward(INDArray s, INDArray gradV) {
        requireCapsules(s);
        INDArray q = squaredNorm(s);                                        // |s|², [batch, capsules, 1]
        INDArray inverseOnePlusQ = q.add(1.0).rdivi(1.0);                   // 1 / (1 + q)
        INDArray inverseNorm = Transforms.sqrt(q.add(EPSILON), false).rdivi(1.0);     // 1 / sqrt(q + ε)
        INDArray g = q.mul(inverseOnePlusQ).muli(inverseNorm);              // g(q)
        INDArray gPrime = q.mul(inverseOnePlusQ).rsubi(1.0)                 // 1 − q/(1 + q)
                .subi(q.mul(inverseNorm).muli(inverseNorm).muli(0.5))       //   − q/(2(q + ε))
                .muli(inverseOnePlusQ).muli(inverseNorm);                   // / ((1 + q)·sqrt(q + ε))
        INDArray radial = s.mul(gradV).sum(true, 2).muli(gPrime).muli(2.0); // 2·g'(q)·(s · ∂L/∂v)
        return gradV.mul(g).addi(s.mul(radial));
    }

    /** |s|² over the last axis of a rank-3 array, kept as {@code [batch, capsules, 1]} for broadcasting. */
    private static INDArray squaredNorm(INDArray s) {
        return s.mul(s).sum(true, 2);
    }

    /** g(q) = q / ((1 + q)·sqrt(q + ε)). */
    private static INDArray scale(INDArray q) {
        return q.div(q.add(1.0)).muli(Transforms.sqrt(q.add(EPSILON), false).rdivi(1.0));
    }

    private static void requireCapsules(INDArray s) {
        if (s.rank() != 3) {
            throw new IllegalArgumentException("squash expects capsules [batch, capsules, dimension], got shape "
                    + java.util.Arrays.toString(s.shape()));
        }
        Precision.requireSupported(s.dataType(), "Squash");
    }
}
