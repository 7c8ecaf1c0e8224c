package io.github.capsnet4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three contractions of routing by agreement (Procedure 1 and its backward pass) on predictions held by input
 * capsule, {@code û [inCaps, pairs, outDim]}, where a pair {@code p = example·outCaps + j} is an (example, output
 * capsule) pair:
 *
 * <pre>
 *   sumOverInputs:  s[p]      = Σ_i w[i, p] · û[i, p]        (eq. 2 with w = c; also B_t · û in the backward pass)
 *   dotPerPair:     a[i, p]   = û[i, p] · y[p]               (the agreement û · v; also û · ∂L/∂s)
 *   addOuter:       G[i, p]  += x[i, p] · y[p]               (∂L/∂û, one term per outer product)
 * </pre>
 *
 * Each is an elementwise broadcast product over û's contiguous memory followed, for the sums, by ONE matrix product
 * with a vector of ones: {@code 1ᵀ · [inCaps, pairs·outDim]} sums over the input capsules and
 * {@code [inCaps·pairs, outDim] · 1} over a capsule's dimensions. ND4J's batched matrix products over the pairs
 * (a small product per pair) run an elementwise kernel; these ops run at memory speed, on û in the layout the
 * predictions' product writes, so û is never permuted. The broadcast products go to one scratch array of û's
 * size, reused by every call.
 */
final class RoutingContractions {

    private final INDArray rows;                                            // û as [inCaps, pairs·outDim]
    private final INDArray vectors;                                         // û as [inCaps·pairs, outDim]
    private final INDArray scratch;                                         // û-sized, [inCaps, pairs·outDim]
    private final long inCaps;
    private final long pairs;
    private final long outDim;

    /** @param uHat û as {@code [inCaps, pairs, outDim]} (or any shape with that C-order memory) */
    RoutingContractions(INDArray uHat, long inCaps, long pairs, long outDim) {
        INDArray contiguous = uHat.isView() || uHat.ordering() != 'c' ? uHat.dup('c') : uHat;
        this.rows = contiguous.reshape(inCaps, pairs * outDim);
        this.vectors = contiguous.reshape(inCaps * pairs, outDim);
        this.scratch = rows.ulike();
        this.inCaps = inCaps;
        this.pairs = pairs;
        this.outDim = outDim;
    }

    /**
     * {@code s[p] = Σ_i w[i, p] · û[i, p]}.
     *
     * @param weights {@code w [inCaps, pairs]} (any shape with that C-order memory), or null for the same weight
     *                {@code uniform} everywhere
     * @return {@code s} as {@code [1, pairs·outDim]}
     */
    INDArray sumOverInputs(INDArray weights, double uniform) {
        INDArray ones = Nd4j.ones(rows.dataType(), 1, inCaps);
        INDArray sum = Nd4j.createUninitialized(rows.dataType(), 1, pairs * outDim);
        if (weights == null) {
            return Nd4j.gemm(ones, rows, sum, false, false, uniform, 0.0);  // uniform · 1ᵀ û
        }
        Nd4j.exec(new BroadcastMulOp(vectors, weights.reshape(inCaps * pairs, 1), scratch.reshape(inCaps * pairs, outDim), 0));
        return Nd4j.gemm(ones, scratch, sum, false, false, 1.0, 0.0);      // 1ᵀ (w ⊙ û)
    }

    /**
     * {@code a[i, p] = û[i, p] · y[p]}.
     *
     * @param y {@code [pairs, outDim]} (any shape with that C-order memory)
     * @return {@code a} as {@code [inCaps·pairs, 1]}
     */
    INDArray dotPerPair(INDArray y) {
        Nd4j.exec(new BroadcastMulOp(rows, y.reshape(pairs * outDim), scratch, 1));   // û ⊙ y, y repeated for every i
        INDArray ones = Nd4j.ones(rows.dataType(), outDim, 1);
        INDArray dots = Nd4j.createUninitialized(rows.dataType(), inCaps * pairs, 1);
        return Nd4j.gemm(scratch.reshape(inCaps * pairs, outDim), ones, dots, false, false, 1.0, 0.0);   // Σ over outDim
    }

    /**
     * {@code G[i, p] += x[i, p] · y[p]}, or {@code G = x ⊗ y} when {@code sum} is null.
     *
     * @param sum     {@code G [inCaps, pairs, outDim]}, or null to start a new sum
     * @param x       {@code [inCaps, pairs]} (any shape with that C-order memory), or null for the same value
     *                {@code uniform} everywhere
     * @param y       {@code [pairs, outDim]} (any shape with that C-order memory)
     * @return {@code G}
     */
    INDArray addOuter(INDArray sum, INDArray x, double uniform, INDArray y) {
        if (x == null) {                                                    // uniform ⊗ y: y repeated for every i
            INDArray target = sum == null ? Nd4j.zeros(rows.dataType(), inCaps, pairs, outDim) : sum;
            INDArray targetRows = target.reshape(inCaps, pairs * outDim);
            Nd4j.exec(new BroadcastAddOp(targetRows, y.mul(uniform).reshape(pairs * outDim), targetRows, 1));
            return target;
        }
        INDArray left = x.reshape(inCaps, pairs, 1);
        INDArray right = y.reshape(1, pairs, outDim);
        if (sum == null) {
            return Nd4j.exec(new MulOp(left, right, Nd4j.createUninitialized(rows.dataType(), inCaps, pairs, outDim)))[0];
        }
        INDArray term = scratch.reshape(inCaps, pairs, outDim);
        Nd4j.exec(new MulOp(left, right, term));                             // broadcast over outDim and inCaps
        return sum.addi(term);
    }
}
