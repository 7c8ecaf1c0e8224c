package io.github.capsnet4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Routing-by-agreement (paper Procedure 1, as {@link DynamicRouting}) on plain arrays: one forward pass,
 * which keeps what its hand-written backward pass needs, for layers that run their forward pass once per
 * training step.
 *
 * <p>Forward, on {@code û} grouped by (example, output capsule), {@code U [batch·outCaps, inCaps, outDim]}:
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
 * where {@code softmax'(c)ᵀ g = c ⊙ (g − Σ_j c ⊙ g)} over the output capsules. All the outer products
 * {@code ∂L/∂û += x ⊗ y} are summed by ONE batched matrix product {@code [x_1 … x_K] · [y_1; … ; y_K]}.
 * With {@code detachInnerIterations} only the last iteration's {@code c_r ⊗ ∂L/∂s_r} remains (couplings
 * of earlier iterations are constants).
 */
public final class DynamicRoutingPass {

    private final INDArray uHat;                                      // U [batch·outCaps, inCaps, outDim]
    private final int outCaps;
    private final boolean detachInnerIterations;
    private final List<INDArray> couplings = new ArrayList<>();      // c_t [batch·outCaps, inCaps, 1]; c_1 is null (uniform)
    private final List<INDArray> unsquashed = new ArrayList<>();     // s_t [batch, outCaps, outDim]
    private final List<INDArray> squashed = new ArrayList<>();       // v_t [batch, outCaps, outDim]

    private DynamicRoutingPass(INDArray uHat, int outCaps, boolean detachInnerIterations) {
        this.uHat = uHat;
        this.outCaps = outCaps;
        this.detachInnerIterations = detachInnerIterations;
    }

    /**
     * Runs Procedure 1 on {@code uHatByOutput [batch·outCaps, inCaps, outDim]} (row {@code example·outCaps + j},
     * the layout of {@link CapsulePredictions#uHatByOutput}).
     */
    public static DynamicRoutingPass forward(INDArray uHatByOutput, int iterations, int outCaps, boolean detachInnerIterations) {
        if (uHatByOutput.rank() != 3 || outCaps < 1 || uHatByOutput.size(0) % outCaps != 0) {
            throw new IllegalArgumentException("uHatByOutput must be [batch·" + outCaps + ", inCaps, outDim], got "
                    + java.util.Arrays.toString(uHatByOutput.shape()));
        }
        DynamicRouting.checkArguments(iterations, (int) uHatByOutput.size(1), outCaps, (int) uHatByOutput.size(2));
        DynamicRoutingPass pass = new DynamicRoutingPass(uHatByOutput, outCaps, detachInnerIterations);
        pass.run(iterations);
        return pass;
    }

    private void run(int iterations) {
        long pairs = uHat.size(0);
        long inCaps = uHat.size(1);
        long outDim = uHat.size(2);
        INDArray logits = null;                                          // b_t [batch, outCaps, inCaps]
        for (int t = 1; t <= iterations; t++) {
            INDArray c = logits == null ? null : softmaxOverOutputs(logits).reshape(pairs, inCaps, 1);
            INDArray s = c == null ? uHat.sum(1).divi(outCaps)             // c_1 = 1/outCaps
                    : Nd4j.matmul(c, uHat, true, false, false);            // Σ_i c_i û_i, [pairs, 1, outDim]
            s = s.reshape(pairs / outCaps, outCaps, outDim);
            INDArray v = Squash.squash(s);
            couplings.add(c);
            unsquashed.add(s);
            squashed.add(v);
            if (t < iterations) {
                INDArray agreement = Nd4j.matmul(uHat, v.reshape(pairs, outDim, 1))   // û · v_t, [pairs, inCaps, 1]
                        .reshape(pairs / outCaps, outCaps, inCaps);
                logits = logits == null ? agreement : logits.add(agreement);
            }
        }
    }

    /** The output capsules {@code v [batch, outCaps, outDim]}. */
    public INDArray output() {
        return squashed.get(squashed.size() - 1);
    }

    /**
     * The gradient with respect to {@code uHatByOutput}, given {@code gradV = ∂L/∂v [batch, outCaps, outDim]}.
     *
     * @return a new array of {@code uHatByOutput}'s shape
     */
    public INDArray backward(INDArray gradV) {
        int r = squashed.size();
        long pairs = uHat.size(0);
        long inCaps = uHat.size(1);
        long outDim = uHat.size(2);
        List<INDArray> left = new ArrayList<>();                         // x_k [pairs, inCaps, 1]
        List<INDArray> right = new ArrayList<>();                        // y_k [pairs, 1, outDim]
        INDArray gradLogits = null;                                      // B_t [pairs, 1, inCaps]
        for (int t = r; t >= 1; t--) {
            INDArray gradVt = t == r ? gradV.reshape(pairs, 1, outDim)
                    : Nd4j.matmul(gradLogits, uHat);                     // B_t · û
            INDArray gradS = Squash.backward(unsquashed.get(t - 1), gradVt.reshape(pairs / outCaps, outCaps, outDim))
                    .reshape(pairs, 1, outDim);
            INDArray c = couplings.get(t - 1);
            left.add(c == null ? Nd4j.valueArrayOf(new long[]{pairs, inCaps, 1}, 1.0 / outCaps, uHat.dataType()) : c);
            right.add(gradS);
            if (detachInnerIterations) {
                break;                                                   // c_r is a constant: nothing flows further back
            }
            if (t < r) {
                left.add(gradLogits.reshape(pairs, inCaps, 1));
                right.add(squashed.get(t - 1).reshape(pairs, 1, outDim));
            }
            if (t >= 2) {
                INDArray gradCouplings = Nd4j.matmul(uHat, gradS, false, true, false);   // û · ∂L/∂s_t, [pairs, inCaps, 1]
                INDArray gradPrevious = softmaxBackward(c.reshape(pairs / outCaps, outCaps, inCaps),
                        gradCouplings.reshape(pairs / outCaps, outCaps, inCaps)).reshape(pairs, 1, inCaps);
                gradLogits = t < r ? gradPrevious.addi(gradLogits) : gradPrevious;
            }
        }
        INDArray x = Nd4j.concat(2, left.toArray(new INDArray[0]));     // [pairs, inCaps, K]
        INDArray y = Nd4j.concat(1, right.toArray(new INDArray[0]));    // [pairs, K, outDim]
        return Nd4j.matmul(x, y);
    }

    /** softmax over axis 1 of {@code [batch, outCaps, inCaps]}; the maximum is subtracted to keep exp finite. */
    private static INDArray softmaxOverOutputs(INDArray logits) {
        INDArray exponentials = Transforms.exp(logits.sub(logits.max(true, 1)), false);
        return exponentials.divi(exponentials.sum(true, 1));
    }

    /** {@code c ⊙ (g − Σ_j c ⊙ g)} over axis 1: the backward pass of {@link #softmaxOverOutputs}. */
    private static INDArray softmaxBackward(INDArray c, INDArray gradC) {
        return gradC.sub(c.mul(gradC).sum(true, 1)).muli(c);
    }
}
