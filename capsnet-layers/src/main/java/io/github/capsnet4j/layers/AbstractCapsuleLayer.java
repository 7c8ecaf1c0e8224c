package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Map;

/**
 * Common base of this library's SameDiff layers (those without parameters, where SameDiff's repeated
 * forward pass costs little): it applies the {@link SameDiffGradientFix} to every layer's output.
 */
public abstract class AbstractCapsuleLayer extends SameDiffLayer {

    protected AbstractCapsuleLayer() {
    }

    protected AbstractCapsuleLayer(Builder<?> builder) {
        super(builder);
    }

    /** Defines the layer's forward pass; see {@link SameDiffLayer#defineLayer}. */
    protected abstract SDVariable defineCapsules(SameDiff sd, SDVariable input, Map<String, SDVariable> params);

    @Override
    public final SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        return SameDiffGradientFix.halveBackward(sd, defineCapsules(sd, input, params));
    }
}
