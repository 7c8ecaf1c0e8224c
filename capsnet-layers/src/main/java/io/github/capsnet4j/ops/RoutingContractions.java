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
 * and the first iteration's uniform couplings {@code c_1 = 1/outCaps} as one number: {@code sumOverInputs(w)}
 * and {@code addUniformOuter}. Each is an elementwise broadcast product over û's contiguous memory (none for the
 * uniform sum) followed, for the sums, by ONE matrix product with a vector of ones: {@code 1ᵀ · [inCaps,
 * pairs·outDim]} sums over the input capsules and {@code [inCaps·pairs, outDim] · 1} over a capsule's dimensions.
 * ND4J's batched matrix products over the pairs (a small product per pair) run an elementwise kernel; these ops run
 * at memory speed, on û in the layout the predictions' product writes, so û is never permuted. The broadcast
 * products go to one scratch array of û's size, reused by every call.
 */
final class RoutingContractions {

    private final INDArray rows;                                            // û as [inCaps, pairs·outDim]
    private final INDArray vectors;                                         // û as [inCaps·pairs, outDim]
    private final INDArray scratch;                                         // û-sized, [inCaps, pairs·outDim]
    private final long inCaps;
    private final long pairs;
    private final long outDim;

    /** @param uHat û as {@code [inCaps, pairs, outDim]}, or any shape whose elements in C order are these (a view is copied) */
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
     * {@code s[p] = Σ_i w · û[i, p]} with the same weight w for every pair.
     *
     * @return {@code s} as {@code [1, pairs·outDim]}
     */
    INDArray sumOverInputs(double weight) {
        INDArray sum = Nd4j.createUninitialized(rows.dataType(), 1, pairs * outDim);
        return Nd4j.gemm(ones(1, inCaps), rows, sum, false, false, weight, 0.0);   // w · 1ᵀ û
    }

    /**
     * {@code s[p] = Σ_i w[i, p] · û[i, p]}.
     *
     * @param weights {@code w [inCaps, pairs]}, or any shape whose elements in C order are these
     * @return {@code s} as {@code [1, pairs·outDim]}
     */
    INDArray sumOverInputs(INDArray weights) {
        Nd4j.exec(new BroadcastMulOp(vectors, weights.reshape(inCaps * pairs, 1), scratch.reshape(inCaps * pairs, outDim), 0));
        INDArray sum = Nd4j.createUninitialized(rows.dataType(), 1, pairs * outDim);
        return Nd4j.gemm(ones(1, inCaps), scratch, sum, false, false, 1.0, 0.0);     // 1ᵀ (w ⊙ û)
    }

    /**
     * {@code a[i, p] = û[i, p] · y[p]}.
     *
     * @param y {@code [pairs, outDim]}, or any shape whose elements in C order are these
     * @return {@code a} as {@code [inCaps·pairs, 1]}
     */
    INDArray dotPerPair(INDArray y) {
        Nd4j.exec(new BroadcastMulOp(rows, y.reshape(pairs * outDim), scratch, 1));   // û ⊙ y, y repeated for every i
        INDArray dots = Nd4j.createUninitialized(rows.dataType(), inCaps * pairs, 1);
        return Nd4j.gemm(scratch.reshape(inCaps * pairs, outDim), ones(outDim, 1), dots, false, false, 1.0, 0.0);   // Σ over outDim
    }

    /**
     * {@code G[i, p] += x[i, p] · y[p]}, or {@code G = x ⊗ y} when {@code sum} is null.
     *
     * @param sum {@code G [inCaps, pairs, outDim]}, or null to start a new sum
     * @param x   {@code [inCaps, pairs]}, or any shape whose elements in C order are these
     * @param y   {@code [pairs, outDim]}, likewise
     * @return {@code G}
     */
    INDArray addOuter(INDArray sum, INDArray x, INDArray y) {
        INDArray left = x.reshape(inCaps, pairs, 1);
        INDArray right = y.reshape(1, pairs, outDim);
        if (sum == null) {
            return Nd4j.exec(new MulOp(left, right, Nd4j.createUninitialized(rows.dataType(), inCaps, pairs, outDim)))[0];
        }
        INDArray term = scratch.reshape(inCaps, pairs, outDim);
        Nd4j.exec(new MulOp(left, right, term));                             // broadcast over outDim and inCaps
        return sum.addi(term);
    }

    /**
     * {@code G[i, p] += w · y[p]} with the same weight w for every i and p (y repeated for every input capsule), or
     * {@code G = w ⊗ y} when {@code sum} is null.
     *
     * @param sum {@code G [inCaps, pairs, outDim]}, or null to start a new sum
     * @param y   {@code [pairs, outDim]}, or any shape whose elements in C order are these
     * @return {@code G}
     */
    INDArray addUniformOuter(INDArray sum, double weight, INDArray y) {
        INDArray target = sum == null ? Nd4j.zeros(rows.dataType(), inCaps, pairs, outDim) : sum;
        INDArray targetRows = target.reshape(inCaps, pairs * outDim);
        Nd4j.exec(new BroadcastAddOp(targetRows, y.mul(weight).reshape(pairs * outDim), targetRows, 1));
        return target;
    }

    /** A {@code rows × columns} matrix of ones. */
    private INDArray ones(long rows, long columns) {
        return Nd4j.ones(this.rows.dataType(), rows, columns);
    }
}
