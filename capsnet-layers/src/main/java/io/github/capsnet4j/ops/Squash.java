package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The squashing non-linearity, paper eq. (1):
 *
 * <pre>
 *   v = |s|² / (1 + |s|²) · s / sqrt(|s|² + ε),   ε = 1e-8
 * </pre>
 *
 * Short vectors shrink to almost zero length, long vectors to a length just below one; the
 * orientation is kept. ε keeps value and gradient finite at {@code s = 0} (the seed's choice).
 * The norm is taken over the capsule axis, the last one.
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
        int lastAxis = rank - 1;
        SDVariable squaredNorm = s.mul(s).sum(true, lastAxis);            // |s|², kept for broadcasting
        SDVariable scale = squaredNorm.div(squaredNorm.add(1.0));           // |s|² / (1 + |s|²)
        SDVariable inverseNorm = sd.math().rsqrt(squaredNorm.add(EPSILON)); // 1 / sqrt(|s|² + ε)
        return s.mul(scale.mul(inverseNorm));
    }
}
