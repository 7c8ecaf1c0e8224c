package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * <p>Two forms of the same procedure, each with the layout of û that suits it:
 * <ul>
 *   <li>SameDiff, {@link #route(SameDiff, SDVariable, int)} and its variants, differentiated by SameDiff: the
 *       dynamic-routing op for users who build SameDiff graphs. û is grouped by (example, output capsule),
 *       {@code uHatByOutput [batch·outCaps, inCaps, outDim]}, so that {@code s = c · û} and the agreement
 *       {@code û · v} are batched matrix products over the pairs;</li>
 *   <li>plain arrays, {@link #forward(INDArray, int, int, boolean)}: one recorded forward pass, a {@link Trace},
 *       with its hand-written backward pass ({@link Trace#backward}); what the {@code DigitCaps} layer
 *       ({@code layers.runtime.DigitCapsLayer}) uses. û is held by input capsule,
 *       {@code uHatByInput [inCaps, batch, outCaps·outDim]}, as {@link CapsulePredictions}' product writes it;
 *       its sums and products over û are broadcast products over û's memory, the sums followed by one matrix
 *       product with a vector of ones ({@link RoutingContractions}).</li>
 * </ul>
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
                    + (shape == null ? "an unknown shape" : Arrays.toString(shape))
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
     * Graphs that compute û with {@link CapsulePredictions} use this to avoid a second permutation.
     *
     * @return output capsules v, {@code [batch, outCaps, outDim]}
     */
    public static SDVariable routeByOutput(SameDiff sd, SDVariable uHatByOutput, int iterations, int inCaps, int outCaps,
                                           int outDim, boolean detachInnerIterations) {
        checkArguments(iterations, inCaps, outCaps, outDim);
        SDVariable constantUHat = detachInnerIterations                     // detach(û): its value, no gradient
                ? new StopGradient(sd, uHatByOutput).outputVariable() : uHatByOutput;
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
                SDVariable couplings = sd.nn().softmax(logits.permute(0, 2, 1), 2)   // eq. 3 over output capsules j,
                        .permute(0, 2, 1);                                   // as the last axis (fast kernel)
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
     * Runs Procedure 1 on arrays, recording what the backward pass needs.
     *
     * @param uHatByInput           predictions {@code [inCaps, batch, outCaps·outDim]}: for each input capsule i and
     *                              example, the predictions {@code û_1|i … û_J|i} side by side (as
     *                              {@link CapsulePredictions.Trace#uHatByInput()} returns them)
     * @param iterations            routing iterations r (at least 1)
     * @param outCaps               number of output capsules j
     * @param detachInnerIterations true: no gradient through the couplings of iterations before the last
     */
    public static Trace forward(INDArray uHatByInput, int iterations, int outCaps, boolean detachInnerIterations) {
        if (outCaps < 1) {
            throw new IllegalArgumentException("Dynamic routing needs at least 1 output capsule, got outCaps=" + outCaps);
        }
        if (uHatByInput.rank() != 3 || uHatByInput.size(2) % outCaps != 0) {
            throw new IllegalArgumentException("uHatByInput must be [inCaps, batch, " + outCaps + "·outDim], got "
                    + Arrays.toString(uHatByInput.shape()));
        }
        if (uHatByInput.size(1) < 1) {
            throw new IllegalArgumentException("uHatByInput holds no examples (batch 0): " + Arrays.toString(uHatByInput.shape()));
        }
        checkArguments(iterations, (int) uHatByInput.size(0), outCaps, (int) (uHatByInput.size(2) / outCaps));
        Precision.requireSupported(uHatByInput.dataType(), "DynamicRouting");
        Trace trace = new Trace(uHatByInput, outCaps, detachInnerIterations);
        trace.run(iterations);
        return trace;
    }

    /**
     * One forward pass of Procedure 1 on arrays, on {@code û} held by input capsule, {@code [inCaps, pairs, outDim]}
     * with pairs {@code p = example·outCaps + j}:
     *
     * <pre>
     *   t = 1:      c_1 = 1/outCaps                       (b = 0)
     *   t = 1..r:   s_t = Σ_i c_t,i û_i,   v_t = squash(s_t)
     *   t &lt; r:      b_t = b_{t−1} + û · v_t,   c_{t+1} = softmax_j(b_t)
     * </pre>
     *
     * Backward, from {@code ∂L/∂v_r}, with {@code B_t = ∂L/∂b_t}:
     *
     * <pre>
     *   t = r..1:   ∂L/∂v_t = B_t · û (t &lt; r),   ∂L/∂s_t = squash'(s_t)ᵀ ∂L/∂v_t
     *               ∂L/∂û  += c_t ⊗ ∂L/∂s_t  +  B_t ⊗ v_t (t &lt; r)
     *               B_{t−1} = softmax'(c_t)ᵀ (û · ∂L/∂s_t)  +  B_t (t &lt; r)        (t ≥ 2)
     * </pre>
     *
     * where {@code softmax'(c)ᵀ g = c ⊙ (g − Σ_j c ⊙ g)} over the output capsules. The sums over input capsules
     * ({@code c · û}, {@code B · û}), the dot products per pair ({@code û · v}, {@code û · ∂L/∂s}) and the outer
     * products are {@link RoutingContractions}. The couplings and logits are held as {@code [inCaps, batch, outCaps]},
     * so the softmax runs over the last axis. With {@code detachInnerIterations} only the last iteration's
     * {@code c_r ⊗ ∂L/∂s_r} remains (couplings of earlier iterations are constants).
     */
    public static final class Trace {

        private final RoutingContractions uHat;                          // û [inCaps, pairs, outDim]
        private final long inCaps;
        private final long batch;
        private final int outCaps;
        private final long outDim;
        private final boolean detachInnerIterations;
        private final List<INDArray> couplings = new ArrayList<>();      // c_t [inCaps, batch, outCaps]; c_1 is null (uniform)
        private final List<INDArray> unsquashed = new ArrayList<>();     // s_t [batch, outCaps, outDim]
        private final List<INDArray> squashed = new ArrayList<>();       // v_t [batch, outCaps, outDim]

        private Trace(INDArray uHatByInput, int outCaps, boolean detachInnerIterations) {
            this.inCaps = uHatByInput.size(0);
            this.batch = uHatByInput.size(1);
            this.outCaps = outCaps;
            this.outDim = uHatByInput.size(2) / outCaps;
            this.detachInnerIterations = detachInnerIterations;
            this.uHat = new RoutingContractions(uHatByInput, inCaps, batch * outCaps, outDim);
        }

        private void run(int iterations) {
            INDArray logits = null;                                          // b_t [inCaps, batch, outCaps]
            for (int t = 1; t <= iterations; t++) {
                INDArray c = logits == null ? null : Nd4j.nn().softmax(logits, 2);    // eq. 3 over the output capsules
                INDArray s = (c == null ? uHat.sumOverInputs(1.0 / outCaps) : uHat.sumOverInputs(c))   // Σ_i c_i û_i
                        .reshape(batch, outCaps, outDim);
                INDArray v = Squash.squash(s);
                couplings.add(c);
                unsquashed.add(s);
                squashed.add(v);
                if (t < iterations) {
                    INDArray agreement = uHat.dotPerPair(v).reshape(inCaps, batch, outCaps);   // û · v_t
                    logits = logits == null ? agreement : logits.addi(agreement);
                }
            }
        }

        /** The output capsules {@code v [batch, outCaps, outDim]}. */
        public INDArray output() {
            return squashed.get(squashed.size() - 1);
        }

        /** The number of routing iterations r. */
        public int iterations() {
            return squashed.size();
        }

        /**
         * The couplings {@code c_t} of iteration {@code t} (1 to r) as {@code [batch, outCaps, inCaps]}: element
         * {@code [n, j, i]} is how much input capsule i of example n sends to output capsule j; each input capsule's
         * couplings sum to 1 over j. Iteration 1's are all {@code 1/outCaps}.
         */
        public INDArray couplings(int t) {
            if (t < 1 || t > iterations()) {
                throw new IllegalArgumentException("routing iteration " + t + " does not exist; this pass ran iterations 1 to "
                        + iterations());
            }
            INDArray c = couplings.get(t - 1);
            return c == null ? Nd4j.valueArrayOf(new long[]{batch, outCaps, inCaps}, 1.0 / outCaps, squashed.get(0).dataType())
                    : c.permute(1, 2, 0).dup('c');
        }

        /**
         * The gradient with respect to {@code uHatByInput}, given {@code gradV = ∂L/∂v [batch, outCaps, outDim]}.
         *
         * @return a new array of {@code uHatByInput}'s shape
         */
        public INDArray backward(INDArray gradV) {
            if (!Arrays.equals(gradV.shape(), output().shape())) {
                throw new IllegalArgumentException("∂L/∂v must have v's shape " + Arrays.toString(output().shape())
                        + " ([batch, outCaps, outDim]), got " + Arrays.toString(gradV.shape()));
            }
            int r = squashed.size();
            INDArray gradUHat = null;                                        // ∂L/∂û [inCaps, pairs, outDim]
            INDArray gradLogits = null;                                      // B_t [inCaps, batch, outCaps]
            for (int t = r; t >= 1; t--) {
                INDArray gradVt = t == r ? gradV
                        : uHat.sumOverInputs(gradLogits).reshape(batch, outCaps, outDim);       // B_t · û
                INDArray gradS = Squash.backward(unsquashed.get(t - 1), gradVt);
                INDArray c = couplings.get(t - 1);
                gradUHat = c == null ? uHat.addUniformOuter(gradUHat, 1.0 / outCaps, gradS)   // c_1 = 1/outCaps
                        : uHat.addOuter(gradUHat, c, gradS);
                if (detachInnerIterations) {
                    break;                                                   // c_r is a constant: nothing flows further back
                }
                if (t < r) {
                    gradUHat = uHat.addOuter(gradUHat, gradLogits, squashed.get(t - 1));
                }
                if (t >= 2) {
                    INDArray gradCouplings = uHat.dotPerPair(gradS).reshape(inCaps, batch, outCaps);   // û · ∂L/∂s_t
                    INDArray gradPrevious = softmaxBackward(c, gradCouplings);
                    gradLogits = t < r ? gradPrevious.addi(gradLogits) : gradPrevious;
                }
            }
            return gradUHat.reshape(inCaps, batch, outCaps * outDim);
        }

        /** {@code c ⊙ (g − Σ_j c ⊙ g)} over the output capsules (the last axis): the backward pass of the softmax. */
        private static INDArray softmaxBackward(INDArray c, INDArray gradC) {
            return gradC.sub(c.mul(gradC).sum(true, 2)).muli(c);
        }
    }

    private static void checkArguments(int iterations, int inCaps, int outCaps, int outDim) {
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
