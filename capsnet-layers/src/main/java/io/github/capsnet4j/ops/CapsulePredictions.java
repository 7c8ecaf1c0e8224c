package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

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
}
