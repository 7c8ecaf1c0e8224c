package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Prediction vectors, paper eq. (2), first half:
 *
 * <pre>
 *   û_j|i = W_ij u_i
 * </pre>
 *
 * one weight matrix {@code W_ij [inDim, outDim]} per pair (input capsule i, output capsule j).
 *
 * <p>The weights are held as {@code [inCaps, inDim, outCaps·outDim]} (for each i, the matrices
 * {@code W_i1 … W_iJ} side by side), so that û is ONE batched matrix product over the input capsules:
 * {@code u [inCaps, batch, inDim] × W [inCaps, inDim, outCaps·outDim] → [inCaps, batch, outCaps·outDim]}.
 * ND4J's {@code mmul} does not broadcast batch dimensions, hence the explicit permutation of {@code u}.
 * Element {@code W[i, n, j·outDim + m]} is {@code W_ij[n, m]}, i.e. the paper's (and the fixtures')
 * {@code W[i, j, n, m]}.
 *
 * <p>Two forms of the same equation:
 * <ul>
 *   <li>SameDiff, {@link #uHatByOutput(SameDiff, SDVariable, SDVariable, int, int, int)}, differentiated by
 *       SameDiff: for users who build SameDiff graphs. It regroups û by (example, output capsule),
 *       {@code [batch·outCaps, inCaps, outDim]}, the layout {@link DynamicRouting}'s SameDiff form routes;</li>
 *   <li>plain arrays, {@link #forward(INDArray, INDArray, int, int)}, whose {@link Trace} holds what the
 *       hand-written backward pass needs: what the {@code DigitCaps} layer ({@code layers.runtime.DigitCapsLayer})
 *       uses. û stays as the product writes it, by input capsule, the layout {@link DynamicRouting}'s array form
 *       routes. The backward pass is {@code ∂L/∂W_i = u_iᵀ · ∂L/∂û_i} and {@code ∂L/∂u_i = ∂L/∂û_i · W_iᵀ}, one
 *       batched matrix product each over the input capsules.</li>
 * </ul>
 */
public final class CapsulePredictions {

    private CapsulePredictions() {
    }

    /**
     * Computes û grouped by (example, output capsule), the layout {@link DynamicRouting#routeByOutput} takes.
     *
     * @param sd      the graph
     * @param u       input capsules {@code [batch, inCaps, inDim]}
     * @param weights {@code W [inCaps, inDim, outCaps·outDim]}
     * @return û as {@code [batch·outCaps, inCaps, outDim]}, row {@code example·outCaps + j}
     */
    public static SDVariable uHatByOutput(SameDiff sd, SDVariable u, SDVariable weights, int inCaps, int outCaps,
                                          int outDim) {
        SDVariable perInput = u.permute(1, 0, 2)                            // [inCaps, batch, inDim]
                .mmul(weights);                                             // [inCaps, batch, outCaps·outDim]
        return perInput.reshape(inCaps, -1, outCaps, outDim)
                .permute(1, 2, 0, 3)                                        // [batch, outCaps, inCaps, outDim]
                .reshape(-1, inCaps, outDim);
    }

    /**
     * Computes û on arrays, held by input capsule, keeping what the backward pass needs.
     *
     * @param u       input capsules {@code [batch, inCaps, inDim]}
     * @param weights {@code W [inCaps, inDim, outCaps·outDim]}, of u's data type
     */
    public static Trace forward(INDArray u, INDArray weights, int outCaps, int outDim) {
        Precision.requireSupported(u.dataType(), "CapsulePredictions");
        if (u.rank() != 3 || weights.rank() != 3 || weights.size(0) != u.size(1) || weights.size(1) != u.size(2)
                || weights.size(2) != (long) outCaps * outDim) {
            throw new IllegalArgumentException("CapsulePredictions needs u [batch, inCaps, inDim] and W [inCaps, inDim, "
                    + outCaps + "·" + outDim + "], got u " + Arrays.toString(u.shape()) + " and W " + Arrays.toString(weights.shape()));
        }
        INDArray uByInput = u.permute(1, 0, 2).dup('c');                   // [inCaps, batch, inDim]: mmul does not broadcast
        return new Trace(uByInput, weights, Nd4j.matmul(uByInput, weights), outCaps, outDim);
    }

    /** A forward pass of eq. (2) on arrays: its result û and what its backward pass needs. */
    public static final class Trace {

        private final INDArray uByInput;                                    // u as [inCaps, batch, inDim]
        private final INDArray weights;                                     // W [inCaps, inDim, outCaps·outDim]
        private final INDArray uHat;                                        // û [inCaps, batch, outCaps·outDim]
        private final int outCaps;
        private final int outDim;

        private Trace(INDArray uByInput, INDArray weights, INDArray uHat, int outCaps, int outDim) {
            this.uByInput = uByInput;
            this.weights = weights;
            this.uHat = uHat;
            this.outCaps = outCaps;
            this.outDim = outDim;
        }

        /**
         * û as {@code [inCaps, batch, outCaps·outDim]}: element {@code [i, n, j·outDim + m]} is component m of
         * {@code û_j|i} for example n.
         */
        public INDArray uHatByInput() {
            return uHat;
        }

        /**
         * Writes ∂L/∂W into {@code gradWeights} and returns ∂L/∂u.
         *
         * @param gradUHat    ∂L/∂û, {@code [inCaps, batch, outCaps·outDim]}
         * @param gradWeights where ∂L/∂W goes, W's shape
         * @return ∂L/∂u {@code [batch, inCaps, inDim]} (a permuted view of a new array)
         */
        public INDArray backward(INDArray gradUHat, INDArray gradWeights) {
            if (!Arrays.equals(gradUHat.shape(), uHat.shape())) {
                throw new IllegalArgumentException("∂L/∂û must have û's shape " + Arrays.toString(uHat.shape()) + " ([inCaps, batch, "
                        + outCaps + "·" + outDim + "]), got " + Arrays.toString(gradUHat.shape()));
            }
            if (!Arrays.equals(gradWeights.shape(), weights.shape()) || gradWeights.dataType() != weights.dataType()) {
                throw new IllegalArgumentException("∂L/∂W goes into an array of W's shape " + Arrays.toString(weights.shape())
                        + " and type " + weights.dataType() + ", got " + Arrays.toString(gradWeights.shape()) + " "
                        + gradWeights.dataType());
            }
            Nd4j.matmul(uByInput, gradUHat, gradWeights, true, false, false);        // u_iᵀ · ∂L/∂û_i
            return Nd4j.matmul(gradUHat, weights, false, true, false)                // ∂L/∂û_i · W_iᵀ, [inCaps, batch, inDim]
                    .permute(1, 0, 2);
        }
    }
}
