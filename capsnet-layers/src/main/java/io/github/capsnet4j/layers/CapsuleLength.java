package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.runtime.CapsuleLengthLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * Capsule lengths {@code |v_k| = sqrt(Σ_d v_kd² + ε)}: {@code [batch, capsules, dimension] → [batch, capsules]}.
 * The length of a digit capsule is the probability that its entity is present (paper section 2); these
 * are the inputs of {@link io.github.capsnet4j.loss.LossMargin} and the class scores at inference.
 *
 * <p>ε = 1e-12 keeps the gradient {@code v/|v|} finite at {@code v = 0} (it is then 0) while changing
 * lengths of practical size by less than 1e-11 relative.
 *
 * <p>A layer without parameters, like DL4J's {@code ActivationLayer}, for capsules of any count and dimension; its
 * computation ({@link CapsuleLengthLayer}) has a hand-written backward pass, {@code ∂L/∂v_k = ∂L/∂|v_k| · v_k / |v_k|}.
 */
public class CapsuleLength extends NoParamLayer {

    /** ε under the square root. */
    public static final double EPSILON = 1e-12;

    public CapsuleLength() {
        this(new Builder());
    }

    protected CapsuleLength(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new CapsuleLengthLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(CapsuleTypes.requireCapsules("CapsuleLength", inputType).getSize());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        CapsuleTypes.requireCapsules("CapsuleLength", inputType);          // any capsule count and dimension
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;                                                        // capsules are taken as they are
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long lengths = outputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, CapsuleLength.class, inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, lengths, 0, inputType.arrayElementsPerExample())   // |v|² forward; ∂L/∂v backward
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public CapsuleLength clone() {
        return (CapsuleLength) super.clone();
    }

    /** Builder for {@link CapsuleLength}; it has nothing to configure but the layer name (and dropout). */
    public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public CapsuleLength build() {
            return new CapsuleLength(this);
        }
    }
}
