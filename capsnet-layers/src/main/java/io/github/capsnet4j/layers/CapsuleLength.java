package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * Capsule lengths {@code |v_k| = sqrt(Σ_d v_kd² + ε)}: {@code [batch, capsules, dimension] → [batch, capsules]}.
 * The length of a digit capsule is the probability that its entity is present (paper section 2); these
 * are the inputs of {@link io.github.capsnet4j.loss.LossMargin} and the class scores at inference.
 *
 * <p>ε = 1e-12 keeps the gradient {@code v/|v|} finite at {@code v = 0} (it is then 0) while changing
 * lengths of practical size by less than 1e-11 relative.
 */
public class CapsuleLength extends AbstractCapsuleLayer {

    /** ε under the square root. */
    public static final double EPSILON = 1e-12;

    private long inputCapsules;

    public CapsuleLength() {
    }

    protected CapsuleLength(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected SDVariable defineCapsules(SameDiff sd, SDVariable input, Map<String, SDVariable> params) {
        return sd.math().sqrt(input.mul(input).sum(2).add(EPSILON));   // explicit axis 2: the capsule dimension
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(CapsuleTypes.requireCapsules("CapsuleLength", inputType).getSize());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        inputCapsules = CapsuleTypes.requireCapsules("CapsuleLength", inputType).getSize();
    }

    @Override
    public void validateInput(INDArray input) {
        if (input.rank() != 3 || (inputCapsules > 0 && input.size(1) != inputCapsules)) {
            throw new IllegalArgumentException("CapsuleLength expects capsules [batch, " + inputCapsules + ", dimension] but got "
                    + Arrays.toString(input.shape()) + ". Put it after a DigitCaps (or PrimaryCaps) layer.");
        }
    }

    public long getInputCapsules() {
        return inputCapsules;
    }

    public void setInputCapsules(long inputCapsules) {
        this.inputCapsules = inputCapsules;
    }

    /** Builder for {@link CapsuleLength}; it has nothing to configure but the layer name. */
    public static class Builder extends AbstractCapsuleLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public CapsuleLength build() {
            return new CapsuleLength(this);
        }
    }
}
