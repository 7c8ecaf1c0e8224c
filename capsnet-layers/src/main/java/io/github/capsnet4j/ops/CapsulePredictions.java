package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 * <p>Two forms: SameDiff ({@link #uHatByOutput(SameDiff, SDVariable, SDVariable, int, int, int)}) and plain
 * arrays with a hand-written backward pass ({@link #uHatByOutput(INDArray, INDArray, int, int)},
 * {@link #backward}): {@code ∂L/∂W_i = u_iᵀ · ∂L/∂û_i} and {@code ∂L/∂u_i = ∂L/∂û_i · W_iᵀ}, one batched
 * matrix product each over the input capsules.
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
     * û grouped by (example, output capsule), on arrays.
     *
     * @param u       input capsules {@code [batch, inCaps, inDim]}
     * @param weights {@code W [inCaps, inDim, outCaps·outDim]}
     * @return a new array {@code [batch·outCaps, inCaps, outDim]}, row {@code example·outCaps + j}
     */
    public static INDArray uHatByOutput(INDArray u, INDArray weights, int outCaps, int outDim) {
        long batch = u.size(0);
        long inCaps = u.size(1);
        INDArray perInput = Nd4j.matmul(byInput(u), weights);             // [inCaps, batch, outCaps·outDim]
        return perInput.reshape(inCaps, batch, outCaps, outDim)
                .permute(1, 2, 0, 3).dup('c')                               // [batch, outCaps, inCaps, outDim]
                .reshape(batch * outCaps, inCaps, outDim);
    }

    /**
     * Backward pass of {@link #uHatByOutput(INDArray, INDArray, int, int)}: writes ∂L/∂W into
     * {@code gradWeights} and returns ∂L/∂u.
     *
     * @param gradUHat ∂L/∂û, {@code [batch·outCaps, inCaps, outDim]}
     * @return ∂L/∂u {@code [batch, inCaps, inDim]} (a permuted view of a new array)
     */
    public static INDArray backward(INDArray u, INDArray weights, INDArray gradUHat, int outCaps, INDArray gradWeights) {
        long batch = u.size(0);
        long inCaps = u.size(1);
        long outDim = gradUHat.size(2);
        INDArray gradPerInput = gradUHat.reshape(batch, outCaps, inCaps, outDim)
                .permute(2, 0, 1, 3).dup('c')                               // [inCaps, batch, outCaps, outDim]
                .reshape(inCaps, batch, outCaps * outDim);
        Nd4j.matmul(byInput(u), gradPerInput, gradWeights, true, false, false);      // u_iᵀ · ∂L/∂û_i
        return Nd4j.matmul(gradPerInput, weights, false, true, false)                // ∂L/∂û_i · W_iᵀ, [inCaps, batch, inDim]
                .permute(1, 0, 2);
    }

    /** {@code u [batch, inCaps, inDim]} as {@code [inCaps, batch, inDim]}: mmul does not broadcast batch dimensions. */
    private static INDArray byInput(INDArray u) {
        return u.permute(1, 0, 2).dup('c');
    }
}
