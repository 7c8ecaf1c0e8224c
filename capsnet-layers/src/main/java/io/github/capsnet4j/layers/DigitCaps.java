package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.impl.DigitCapsLayer;
import io.github.capsnet4j.ops.CapsulePredictions;
import io.github.capsnet4j.ops.DynamicRoutingPass;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A capsule layer with dynamic routing (paper section 2 and 4, "DigitCaps"): every input capsule i
 * predicts every output capsule j through its own matrix, {@code û_j|i = W_ij u_i} (eq. 2), and
 * routing-by-agreement (Procedure 1) turns the predictions into output capsules {@code v_j}.
 *
 * <p>Input {@code [batch, inputCapsules, inputDimension]}, output {@code [batch, capsules, dimension]}.
 * Parameter {@code W} is stored as {@code [inputCapsules, inputDimension, capsules·dimension]} (see
 * {@link CapsulePredictions}); there is no bias, as in the paper (MNIST: 1152·10·8·16 = 1,474,560
 * weights). Paper defaults: 10 capsules of 16 dimensions, 3 routing iterations.
 *
 * <p>Default initialisation N(0, 0.01²) (the builder's {@code weightInit} replaces it; the network's global
 * one does not): with the paper's softmax over output capsules, larger weights saturate the squash at the
 * start and training stalls.
 *
 * <p>The computation ({@link DigitCapsLayer}) is {@link CapsulePredictions} and {@link DynamicRoutingPass} on
 * arrays, with their hand-written backward passes: the routing runs once per training step.
 */
public class DigitCaps extends BaseCapsuleLayer {

    public static final String WEIGHT_KEY = "W";

    private int capsules;
    private int capsuleDimension;
    private int routingIterations;
    private boolean detachInnerIterations;
    private long configuredInputCapsules;
    private long configuredInputDimension;
    private long inputCapsules;
    private long inputDimension;

    /** For JSON deserialisation (the builder's defaults, then the stored values); use {@link #builder()}. */
    protected DigitCaps() {
        this(new Builder());
    }

    protected DigitCaps(Builder builder) {
        super(builder);
        this.capsules = builder.capsules;
        this.capsuleDimension = builder.capsuleDimension;
        this.routingIterations = builder.routingIterations;
        this.detachInnerIterations = builder.detachInnerIterations;
        this.configuredInputCapsules = builder.inputCapsules;
        this.configuredInputDimension = builder.inputDimension;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(WEIGHT_KEY, new long[]{inputCapsules, inputDimension, (long) capsules * capsuleDimension});
        return shapes;
    }

    @Override
    public boolean isBiasParameter(String key) {
        return false;                                                       // no biases, as in the paper
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray weights = params.get(WEIGHT_KEY);
        weightInitFn.init(inputDimension, capsuleDimension, weights.shape(), 'c', weights);
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new DigitCapsLayer(conf, dataType);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long parameters = inputCapsules * inputDimension * capsules * capsuleDimension;
        long predictions = inputCapsules * capsules * capsuleDimension;     // û, per example
        return new LayerMemoryReport.Builder(layerName, DigitCaps.class, inputType, getOutputType(-1, inputType))
                .standardMemory(parameters, parameters)
                .workingMemory(0, 2 * predictions, 0, 4 * predictions)     // û and its permuted product; ∂L/∂û, outer products
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        CapsuleTypes.requireCapsules("DigitCaps", inputType);
        return CapsuleTypes.capsulesType(capsules, capsuleDimension);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent in = CapsuleTypes.requireCapsules("DigitCaps", inputType);
        inputCapsules = inferred("input capsules", configuredInputCapsules, in.getSize());
        inputDimension = inferred("input capsule dimension", configuredInputDimension, in.getTimeSeriesLength());
    }

    /** The size from the InputType; a configured size that disagrees with it is an error, whatever DL4J's override flag says. */
    private static long inferred(String what, long configured, long fromInput) {
        if (configured > 0 && configured != fromInput) {
            throw new InvalidInputTypeException("DigitCaps was configured for " + configured + " " + what + " but the layer before"
                    + " produces " + fromInput + ". Remove the explicit setting to infer it, or make the layers agree.");
        }
        return fromInput;
    }

    /** Checks an input array against the sizes this layer was configured for. */
    public void validateInput(INDArray input) {
        if (input.rank() != 3 || input.size(1) != inputCapsules || input.size(2) != inputDimension) {
            throw new IllegalArgumentException("DigitCaps expects capsules [batch, " + inputCapsules + ", " + inputDimension + "] but got "
                    + Arrays.toString(input.shape()) + ". Check the layer before it (PrimaryCaps output) and the input size.");
        }
    }

    public int getCapsules() {
        return capsules;
    }

    public void setCapsules(int capsules) {
        this.capsules = capsules;
    }

    public int getCapsuleDimension() {
        return capsuleDimension;
    }

    public void setCapsuleDimension(int capsuleDimension) {
        this.capsuleDimension = capsuleDimension;
    }

    public int getRoutingIterations() {
        return routingIterations;
    }

    public void setRoutingIterations(int routingIterations) {
        this.routingIterations = routingIterations;
    }

    public boolean isDetachInnerIterations() {
        return detachInnerIterations;
    }

    public void setDetachInnerIterations(boolean detachInnerIterations) {
        this.detachInnerIterations = detachInnerIterations;
    }

    public long getConfiguredInputCapsules() {
        return configuredInputCapsules;
    }

    public void setConfiguredInputCapsules(long configuredInputCapsules) {
        this.configuredInputCapsules = configuredInputCapsules;
    }

    public long getConfiguredInputDimension() {
        return configuredInputDimension;
    }

    public void setConfiguredInputDimension(long configuredInputDimension) {
        this.configuredInputDimension = configuredInputDimension;
    }

    public long getInputCapsules() {
        return inputCapsules;
    }

    public void setInputCapsules(long inputCapsules) {
        this.inputCapsules = inputCapsules;
    }

    public long getInputDimension() {
        return inputDimension;
    }

    public void setInputDimension(long inputDimension) {
        this.inputDimension = inputDimension;
    }

    /** Builder for {@link DigitCaps}; defaults are the paper's. */
    public static class Builder extends BaseLayer.Builder<Builder> {
        private int capsules = 10;
        private int capsuleDimension = 16;
        private int routingIterations = 3;
        private boolean detachInnerIterations;
        private long inputCapsules;
        private long inputDimension;

        public Builder() {
            weightInitFn = new WeightInitDistribution(new NormalDistribution(0, 0.01));   // default N(0, 0.01²)
        }

        /** Number of output capsules, e.g. one per class (paper: 10). */
        public Builder capsules(int capsules) {
            this.capsules = Checks.positive("capsules", capsules);
            return this;
        }

        /** Dimension of the output capsules (paper: 16). */
        public Builder capsuleDimension(int capsuleDimension) {
            this.capsuleDimension = Checks.positive("capsuleDimension", capsuleDimension);
            return this;
        }

        /** Routing iterations r of Procedure 1 (paper: 3). */
        public Builder routingIterations(int routingIterations) {
            if (routingIterations < 1) {
                throw new IllegalArgumentException("routingIterations must be at least 1, got " + routingIterations
                        + " (the paper uses 3; 1 means plain averaging of the predictions)");
            }
            this.routingIterations = routingIterations;
            return this;
        }

        /** True: no gradient through the couplings of routing iterations before the last (default false, as the paper). */
        public Builder detachInnerIterations(boolean detachInnerIterations) {
            this.detachInnerIterations = detachInnerIterations;
            return this;
        }

        /** Number and dimension of the input capsules, checked against the InputType (inferred from it when not set). */
        public Builder inputCapsules(long inputCapsules, long inputDimension) {
            this.inputCapsules = inputCapsules;
            this.inputDimension = inputDimension;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public DigitCaps build() {
            return new DigitCaps(this);
        }
    }
}
