package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Routing-by-agreement, paper Procedure 1:
 *
 * <pre>
 *   b_ij ← 0
 *   repeat r times:
 *     c_i  ← softmax_j(b_i)                  (eq. 3: each input capsule i spreads its vote over the OUTPUT capsules j)
 *     s_j  ← Σ_i c_ij · û_j|i                 (eq. 2)
 *     v_j  ← squash(s_j)                      (eq. 1)
 *     b_ij ← b_ij + û_j|i · v_j               (agreement)
 *   return v
 * </pre>
 *
 * <p>Both contractions are batched matrix products over the pairs (example, output capsule): the
 * predictions are held once as {@code uHatByOutput [batch·outCaps, inCaps, outDim]}, so that
 * {@code s = c · û} is {@code [1, inCaps] × [inCaps, outDim]} and the agreement {@code û · v} is
 * {@code [inCaps, outDim] × [outDim, 1]} for every pair. Nothing of {@code û}'s size is tiled or
 * multiplied elementwise.
 *
 * <p>By default gradients flow through every iteration, as in the paper's Procedure 1 (and the
 * fixtures). {@code detachInnerIterations} instead treats the couplings of iterations before the last
 * as constants (a common, cheaper variant: the gradient reaches {@code û} only through the last
 * iteration's {@code s = c · û}).
 */
public final class DynamicRouting {

    private DynamicRouting() {
    }

    /**
     * Routes predictions {@code uHat [batch, inCaps, outCaps, outDim]} to output capsules
     * {@code v [batch, outCaps, outDim]}, with gradients through every iteration. The sizes are read
     * from {@code uHat}'s static shape, which is known for placeholders and variables; for an
     * intermediate result use {@link #route(SameDiff, SDVariable, int, int, int, int, boolean)}.
     *
     * @param sd         the graph
     * @param uHat       predictions û_j|i, {@code [batch, inCaps, outCaps, outDim]}
     * @param iterations routing iterations r (at least 1; the paper uses 3)
     * @return output capsules v
     */
    public static SDVariable route(SameDiff sd, SDVariable uHat, int iterations) {
        long[] shape = uHat.getShape();
        if (shape == null || shape.length != 4 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
            throw new IllegalArgumentException("DynamicRouting.route: uHat must have a known shape [batch, inCaps, outCaps, outDim], got "
                    + (shape == null ? "an unknown shape" : java.util.Arrays.toString(shape))
                    + ". For intermediate results pass the sizes: route(sd, uHat, iterations, inCaps, outCaps, outDim, false)");
        }
        return route(sd, uHat, iterations, (int) shape[1], (int) shape[2], (int) shape[3], false);
    }

    /**
     * Routes predictions {@code uHat [batch, inCaps, outCaps, outDim]} to output capsules
     * {@code v [batch, outCaps, outDim]}.
     *
     * @param sd                    the graph
     * @param uHat                  predictions û_j|i, {@code [batch, inCaps, outCaps, outDim]}
     * @param iterations            routing iterations r (at least 1)
     * @param inCaps                number of input capsules i
     * @param outCaps               number of output capsules j
     * @param outDim                dimension of the output capsules
     * @param detachInnerIterations true: no gradient through the couplings of iterations before the last
     * @return output capsules v
     */
    public static SDVariable route(SameDiff sd, SDVariable uHat, int iterations, int inCaps, int outCaps, int outDim,
                                   boolean detachInnerIterations) {
        SDVariable byOutput = uHat.permute(0, 2, 1, 3)                      // [batch, outCaps, inCaps, outDim]
                .reshape(-1, inCaps, outDim);                              // [batch·outCaps, inCaps, outDim]
        return routeByOutput(sd, byOutput, iterations, inCaps, outCaps, outDim, detachInnerIterations);
    }

    /**
     * Procedure 1 on predictions already grouped by (example, output capsule):
     * {@code uHatByOutput [batch·outCaps, inCaps, outDim]}, where row {@code n = example·outCaps + j}.
     * Layers that compute û themselves use this to avoid a second permutation.
     *
     * @return output capsules v, {@code [batch, outCaps, outDim]}
     */
    public static SDVariable routeByOutput(SameDiff sd, SDVariable uHatByOutput, int iterations, int inCaps, int outCaps,
                                           int outDim, boolean detachInnerIterations) {
        checkArguments(iterations, inCaps, outCaps, outDim);
        SDVariable constantUHat = detachInnerIterations ? Detach.detach(sd, uHatByOutput) : uHatByOutput;
        SDVariable logits = null;                                           // b_ij as [batch, outCaps, inCaps]
        SDVariable v = null;
        for (int iteration = 0; iteration < iterations; iteration++) {
            boolean last = iteration == iterations - 1;
            SDVariable predictions = last ? uHatByOutput : constantUHat;
            SDVariable s;
            if (logits == null) {
                // b = 0, so c_ij = 1/outCaps for every pair: s_j = (1/outCaps) Σ_i û_j|i
                s = predictions.sum(1).mul(1.0 / outCaps);                   // [batch·outCaps, outDim]
            } else {
                SDVariable couplings = softmaxOverOutputs(sd, logits);      // eq. 3: normalised over output capsules j
                s = couplings.reshape(-1, 1, inCaps)                         // [batch·outCaps, 1, inCaps]
                        .mmul(predictions)                                   // eq. 2: Σ_i c_ij û_j|i
                        .reshape(-1, outDim);
            }
            v = Squash.squash(sd, s.reshape(-1, outCaps, outDim));          // eq. 1, [batch, outCaps, outDim]
            if (!last) {
                SDVariable agreement = predictions
                        .mmul(v.reshape(-1, outDim, 1))                     // û_j|i · v_j, [batch·outCaps, inCaps, 1]
                        .reshape(-1, outCaps, inCaps);
                logits = logits == null ? agreement : logits.add(agreement);
            }
        }
        return v;
    }

    /**
     * {@code c_ij = exp(b_ij) / Σ_k exp(b_ik)} over axis 1 of {@code [batch, outCaps, inCaps]}. ND4J's softmax
     * over a non-last axis runs oneDNN's slow reference kernel (a tenth of the training step), over the last
     * axis a fast one: so the logits are transposed to {@code [batch, inCaps, outCaps]} and back.
     */
    private static SDVariable softmaxOverOutputs(SameDiff sd, SDVariable logits) {
        return sd.nn().softmax(logits.permute(0, 2, 1), 2).permute(0, 2, 1);
    }

    static void checkArguments(int iterations, int inCaps, int outCaps, int outDim) {
        if (iterations < 1) {
            throw new IllegalArgumentException("Dynamic routing needs at least 1 iteration, got " + iterations
                    + " (the paper uses 3)");
        }
        if (inCaps < 1 || outCaps < 1 || outDim < 1) {
            throw new IllegalArgumentException("Dynamic routing needs positive sizes, got inCaps=" + inCaps
                    + ", outCaps=" + outCaps + ", outDim=" + outDim);
        }
    }
}
