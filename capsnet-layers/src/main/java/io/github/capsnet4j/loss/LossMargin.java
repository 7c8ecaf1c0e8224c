package io.github.capsnet4j.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Objects;

/**
 * Margin loss for digit existence, paper eq. (4):
 *
 * <pre>
 *   L_k = T_k · max(0, m⁺ − |v_k|)²  +  λ · (1 − T_k) · max(0, |v_k| − m⁻)²
 * </pre>
 *
 * summed over the classes k; the score is averaged over the batch when DL4J asks for an average.
 * T_k = 1 iff class k is present (one-hot labels; multi-hot allowed). Defaults m⁺ = 0.9, m⁻ = 0.1,
 * λ = 0.5 (λ stops the initial learning from shrinking every capsule).
 *
 * <p>Input: capsule lengths {@code |v_k|} {@code [batch, classes]}, e.g. from
 * {@link io.github.capsnet4j.layers.CapsuleLength} followed by a {@code LossLayer} with the identity
 * activation. Per-example ({@code [batch, 1]}) and per-output ({@code [batch, classes]}) label masks are
 * supported.
 */
public class LossMargin implements ILossFunction {

    public static final double DEFAULT_M_PLUS = 0.9;
    public static final double DEFAULT_M_MINUS = 0.1;
    public static final double DEFAULT_LAMBDA = 0.5;

    private final double mPlus;
    private final double mMinus;
    private final double lambda;

    /** The paper's loss: m⁺ = 0.9, m⁻ = 0.1, λ = 0.5. */
    public LossMargin() {
        this(DEFAULT_M_PLUS, DEFAULT_M_MINUS, DEFAULT_LAMBDA);
    }

    /**
     * @param mPlus  margin a present class's length should exceed (m⁺)
     * @param mMinus margin an absent class's length should stay under (m⁻), below m⁺
     * @param lambda down-weighting of absent classes (λ ≥ 0)
     */
    public LossMargin(@JsonProperty("mPlus") double mPlus, @JsonProperty("mMinus") double mMinus,
                      @JsonProperty("lambda") double lambda) {
        if (!(mPlus > mMinus)) {
            throw new IllegalArgumentException("LossMargin needs m+ > m-, got m+=" + mPlus + ", m-=" + mMinus
                    + " (the paper uses m+=0.9, m-=0.1)");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("LossMargin needs a finite lambda >= 0, got " + lambda + " (the paper uses 0.5)");
        }
        this.mPlus = mPlus;
        this.mMinus = mMinus;
        this.lambda = lambda;
    }

    /** Per-example, per-class loss L_k, masked. */
    private INDArray perClassLoss(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray presence = checkedLabels(labels, preOutput);
        INDArray lengths = activationFn.getActivation(preOutput.dup(), true);
        INDArray shortfall = Transforms.relu(lengths.rsub(mPlus), false);       // max(0, m⁺ − |v_k|)
        INDArray excess = Transforms.relu(lengths.sub(mMinus), false);          // max(0, |v_k| − m⁻)
        INDArray loss = presence.mul(shortfall.mul(shortfall))
                .addi(presence.rsub(1.0).muli(excess.mul(excess)).muli(lambda));
        if (mask != null) {
            LossUtil.applyMask(loss, mask);
        }
        return loss;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        INDArray loss = perClassLoss(labels, preOutput, activationFn, mask);
        double score = loss.sumNumber().doubleValue();
        return average ? score / loss.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return perClassLoss(labels, preOutput, activationFn, mask).sum(true, 1);   // Σ_k L_k per example
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray presence = checkedLabels(labels, preOutput);
        INDArray lengths = activationFn.getActivation(preOutput.dup(), true);
        // dL/d|v_k| = −2 T_k max(0, m⁺ − |v_k|) + 2 λ (1 − T_k) max(0, |v_k| − m⁻)
        INDArray dLdLength = presence.mul(Transforms.relu(lengths.rsub(mPlus), false)).muli(-2.0)
                .addi(presence.rsub(1.0).muli(Transforms.relu(lengths.sub(mMinus), false)).muli(2.0 * lambda));
        if (mask != null) {
            LossUtil.applyMask(dLdLength, mask);
        }
        return activationFn.backprop(preOutput.dup(), dLdLength).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /** The labels as T in the output's data type, after checking that they have one column per capsule. */
    private static INDArray checkedLabels(INDArray labels, INDArray preOutput) {
        if (labels.rank() != 2 || preOutput.rank() != 2 || !Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("LossMargin: labels " + Arrays.toString(labels.shape()) + " do not match the capsule lengths "
                    + Arrays.toString(preOutput.shape()) + ". Labels must be one-hot [batch, classes] with one column per output"
                    + " capsule; make the DigitCaps capsule count equal the number of classes.");
        }
        return labels.castTo(preOutput.dataType());
    }

    @JsonProperty("mPlus")
    public double getMPlus() {
        return mPlus;
    }

    @JsonProperty("mMinus")
    public double getMMinus() {
        return mMinus;
    }

    @JsonProperty("lambda")
    public double getLambda() {
        return lambda;
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "LossMargin(m+=" + mPlus + ", m-=" + mMinus + ", lambda=" + lambda + ")";
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof LossMargin)) {
            return false;
        }
        LossMargin that = (LossMargin) other;
        return mPlus == that.mPlus && mMinus == that.mMinus && lambda == that.lambda;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mPlus, mMinus, lambda);
    }
}
