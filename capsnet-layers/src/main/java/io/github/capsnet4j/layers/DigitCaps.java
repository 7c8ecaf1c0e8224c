package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.params.DigitCapsParamInitializer;
import io.github.capsnet4j.layers.runtime.DigitCapsLayer;
import io.github.capsnet4j.ops.CapsulePredictions;
import io.github.capsnet4j.ops.DynamicRouting;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

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
 * <p>The computation ({@link DigitCapsLayer}) is the array forms of {@link CapsulePredictions} and
 * {@link DynamicRouting}, with their hand-written backward passes: the routing runs once per training step. The
 * parameter ({@link DigitCapsParamInitializer}) is a plain DL4J parameter: updaters, regularisation, serialisation
 * and workspaces work as for DL4J's own layers.
 *
 * <p>TransferLearning's {@code nOutReplace}/{@code nInReplace} cannot change its capsule count: that count also
 * sizes the {@code CapsuleLength}, {@link CapsuleMask} and loss after it, which those calls do not rebuild (DL4J
 * refuses to edit a layer that feeds a vertex such as {@code CapsuleMask}); see {@link #resetLayerDefaultConfig()}.
 */
public class DigitCaps extends BaseLayer {

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
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new DigitCapsLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return DigitCapsParamInitializer.getInstance();
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;                                                        // inputs are taken as they are, and checked
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    /** Shape of the weight W: {@code [inputCapsules, inputDimension, capsules·capsuleDimension]}. */
    public long[] weightShape() {
        return new long[]{inputCapsules, inputDimension, (long) capsules * capsuleDimension};
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long parameters = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(parameters);
        long predictions = inputCapsules * capsules * capsuleDimension;     // û, per example
        return new LayerMemoryReport.Builder(layerName, DigitCaps.class, inputType, getOutputType(-1, inputType))
                .standardMemory(parameters, updaterState)
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

    /**
     * TransferLearning calls this before it resizes a layer with {@code nOutReplace}/{@code nInReplace}; DigitCaps
     * refuses with the alternative, instead of DL4J's ClassCastException.
     */
    @Override
    public void resetLayerDefaultConfig() {
        throw new UnsupportedOperationException("DigitCaps '" + layerName + "' cannot be resized by TransferLearning's"
                + " nOutReplace/nInReplace: its capsule count also sizes the CapsuleLength, CapsuleMask and loss after it,"
                + " which those calls do not rebuild. For another number of classes use capsnet-zoo's"
                + " CapsNetMnist.builder().numClasses(n).build().initTransfer(trained, CapsNetTransfer.Mode.FINE_TUNING)"
                + " (or FEATURE_EXTRACTION), or replace DigitCaps and every vertex after it with TransferLearning.GraphBuilder's"
                + " removeVertexAndConnections(...) and addLayer/addVertex(...).");
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

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof DigitCaps) || !super.equals(other)) {
            return false;
        }
        DigitCaps that = (DigitCaps) other;
        return capsules == that.capsules && capsuleDimension == that.capsuleDimension
                && routingIterations == that.routingIterations && detachInnerIterations == that.detachInnerIterations
                && configuredInputCapsules == that.configuredInputCapsules
                && configuredInputDimension == that.configuredInputDimension
                && inputCapsules == that.inputCapsules && inputDimension == that.inputDimension;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof DigitCaps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), capsules, capsuleDimension, routingIterations, detachInnerIterations,
                configuredInputCapsules, configuredInputDimension, inputCapsules, inputDimension);
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
