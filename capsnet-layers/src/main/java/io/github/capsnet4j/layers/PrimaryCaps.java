package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.runtime.PrimaryCapsLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Objects;

/**
 * The primary capsule layer (paper section 4): a convolution with {@code capsuleChannels · capsuleDimension}
 * output channels whose units are grouped into capsules and squashed (eq. 1).
 *
 * <p>Each capsule is the {@code capsuleDimension} convolution units of ONE capsule channel at ONE position
 * (conv output channel {@code c·capsuleDimension + d} is unit d of capsule channel c). The output is
 * {@code [batch, capsuleChannels·H·W, capsuleDimension]}, capsule index {@code (c·H + y)·W + x}. (DL4J's
 * built-in {@code PrimaryCapsules} instead groups neighbouring positions of one channel.)
 *
 * <p>Paper defaults: 32 channels of 8-D capsules, 9×9 kernel, stride 2, no padding; on MNIST's 20×20×256
 * feature map that gives 32·6·6 = 1152 capsules. Input: a convolutional (NCHW) InputType; the number of
 * capsules is inferred from it, and the geometry (input and output size) is fixed at configuration time.
 *
 * <p>It is a DL4J {@link ConvolutionLayer} (the convolution settings of its builder, dilation and convolution mode
 * included, mean what they mean there), with DL4J's parameters and initialisation
 * ({@code ConvolutionParamInitializer}): {@code b [capsuleChannels·capsuleDimension]} and
 * {@code W [capsuleChannels·capsuleDimension, inputChannels, kH, kW]}, the layout of {@link Convolution} too. Weights
 * are initialised by the layer's {@code weightInit} (the network's default, Xavier, when not set); biases by
 * {@code biasInit} (0). Its activation is always the identity: the squash is its non-linearity. The computation
 * ({@link PrimaryCapsLayer}) is {@link Convolution}'s, followed by the grouping and the squash with their
 * hand-written backward passes: one convolution per training step.
 *
 * <p>TransferLearning's {@code nOutReplace}/{@code nInReplace} cannot resize it (its size is the capsule layout);
 * rebuild it with the new sizes instead.
 */
public class PrimaryCaps extends ConvolutionLayer {

    private int capsuleChannels;
    private int capsuleDimension;
    private long configuredInputChannels;
    private long inputHeight;
    private long inputWidth;
    private long outputHeight;
    private long outputWidth;

    /** For JSON deserialisation (the builder's defaults, then the stored values); use {@link #builder()}. */
    protected PrimaryCaps() {
        this(new Builder());
    }

    protected PrimaryCaps(Builder builder) {
        super(builder);
        this.capsuleChannels = builder.capsuleChannels;
        this.capsuleDimension = builder.capsuleDimension;
        this.configuredInputChannels = nIn;                                 // the builder's; setNIn keeps it apart
        this.nOut = convolutionChannels();
        this.activationFn = Activation.IDENTITY.getActivationFunction();
        this.cnn2dDataFormat = CNN2DFormat.NCHW;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new PrimaryCapsLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional convolutionOutput = convolutionOutputType(layerIndex, requireImage(inputType));
        return CapsuleTypes.capsulesType(capsuleChannels * convolutionOutput.getHeight() * convolutionOutput.getWidth(),
                capsuleDimension);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional image = requireImage(inputType);
        if (configuredInputChannels > 0 && configuredInputChannels != image.getChannels()) {
            throw new InvalidInputTypeException("PrimaryCaps was configured for " + configuredInputChannels + " input channels but its input "
                    + inputType + " has " + image.getChannels() + ". Remove .nIn(...) to infer it, or fix the layer before.");
        }
        InputType.InputTypeConvolutional convolutionOutput = convolutionOutputType(-1, image);
        nIn = image.getChannels();
        inputHeight = image.getHeight();
        inputWidth = image.getWidth();
        outputHeight = convolutionOutput.getHeight();
        outputWidth = convolutionOutput.getWidth();
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;                                                        // inputs are taken as they are, and checked
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long parameters = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(parameters);
        InputType.InputTypeConvolutional convolutionOutput = convolutionOutputType(-1, requireImage(inputType));
        long z = convolutionOutput.arrayElementsPerExample();               // the convolution's output, per example
        return new LayerMemoryReport.Builder(layerName, PrimaryCaps.class, inputType, outputType)
                .standardMemory(parameters, updaterState)
                .workingMemory(0, z, 0, 2 * z)                              // z forward; ∂L/∂s and ∂L/∂z backward
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** TransferLearning calls this before resizing a layer: PrimaryCaps cannot be resized that way. */
    @Override
    public void resetLayerDefaultConfig() {
        throw new UnsupportedOperationException("PrimaryCaps '" + layerName + "' cannot be resized by TransferLearning's"
                + " nOutReplace/nInReplace: its output size is capsuleChannels × capsuleDimension and its input size is"
                + " inferred. Replace it with removeVertexKeepConnections(\"" + layerName + "\") and addLayer(\"" + layerName
                + "\", PrimaryCaps.builder()...build(), input) with the new sizes.");
    }

    /** The convolution's output (DL4J's geometry), after checking that the kernel fits. */
    private InputType.InputTypeConvolutional convolutionOutputType(int layerIndex, InputType.InputTypeConvolutional image) {
        checkKernelFits(image.getHeight(), 0);
        checkKernelFits(image.getWidth(), 1);
        ConvolutionMode mode = convolutionMode == null ? ConvolutionMode.Truncate : convolutionMode;   // null: the network's default
        return (InputType.InputTypeConvolutional) InputTypeUtil.getOutputTypeCnnLayers(image, kernelSize, stride, padding,
                dilation, mode, nOut, layerIndex, layerName, CNN2DFormat.NCHW, PrimaryCaps.class);
    }

    private void checkKernelFits(long inputSize, int axis) {
        int kernel = ConvolutionUtils.effectiveKernelSize(kernelSize, dilation)[axis];
        if (convolutionMode != ConvolutionMode.Same && inputSize + 2L * padding[axis] < kernel) {
            throw new InvalidInputTypeException("PrimaryCaps kernel " + kernel + " does not fit an input of size " + inputSize
                    + " (padding " + padding[axis] + ") along " + (axis == 0 ? "height" : "width")
                    + ". Use a smaller kernel, more padding or a larger input.");
        }
    }

    private static InputType.InputTypeConvolutional requireImage(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)) {
            throw new InvalidInputTypeException("PrimaryCaps expects convolutional input (InputType.convolutional(height, width, channels)),"
                    + " but got " + inputType + ". Put it after a convolution layer or declare the graph input as convolutional"
                    + " (for flat images use InputType.convolutionalFlat(height, width, channels)).");
        }
        InputType.InputTypeConvolutional image = (InputType.InputTypeConvolutional) inputType;
        if (image.getFormat() != CNN2DFormat.NCHW) {
            throw new InvalidInputTypeException("PrimaryCaps expects NCHW images, got " + image.getFormat()
                    + ". Use the NCHW data format for the layers before it.");
        }
        return image;
    }

    /**
     * Refuses a configuration in capsnet4j 0.1's PrimaryCaps layout: only that one has the JSON
     * property {@code inputChannels}, and its parameters lie as {@code W [kH, kW, in, out]} then {@code b}, so loading
     * them into this layout would scramble them without a word.
     */
    @JsonProperty("inputChannels")
    private void refuseOldLayout(long inputChannels) {
        throw new IllegalArgumentException("This PrimaryCaps configuration was saved by an older capsnet4j whose PrimaryCaps"
                + " weights were W [kH, kW, in, out] followed by b; this version stores DL4J's b, then W [out, in, kH, kW], so its"
                + " parameters would load scrambled. Convert the saved network (parameters and updater state) with"
                + " 'java -cp capsnet-zoo/target/capsnet-zoo.jar capsnet-zoo/tools/ConvertCheckpoint.java IN.zip OUT.zip'"
                + " from the capsnet4j repository, or retrain it.");
    }

    /** Number of output capsules, {@code capsuleChannels · H · W} (known once the input type is set). */
    public long capsuleCount() {
        return capsuleChannels * outputHeight * outputWidth;
    }

    /** Output channels of the convolution, {@code capsuleChannels · capsuleDimension}. */
    public long convolutionChannels() {
        return (long) capsuleChannels * capsuleDimension;
    }

    public int getCapsuleChannels() {
        return capsuleChannels;
    }

    public int getCapsuleDimension() {
        return capsuleDimension;
    }

    /** The {@code nIn} set on the builder (0: inferred), checked against the InputType. */
    public long getConfiguredInputChannels() {
        return configuredInputChannels;
    }

    public long getInputHeight() {
        return inputHeight;
    }

    public long getInputWidth() {
        return inputWidth;
    }

    /** Height of the convolution's output, the capsule grid. */
    public long getOutputHeight() {
        return outputHeight;
    }

    /** Width of the convolution's output, the capsule grid. */
    public long getOutputWidth() {
        return outputWidth;
    }

    @Override
    public PrimaryCaps clone() {
        return (PrimaryCaps) super.clone();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof PrimaryCaps) || !super.equals(other)) {
            return false;
        }
        PrimaryCaps that = (PrimaryCaps) other;
        return capsuleChannels == that.capsuleChannels && capsuleDimension == that.capsuleDimension
                && configuredInputChannels == that.configuredInputChannels && inputHeight == that.inputHeight
                && inputWidth == that.inputWidth && outputHeight == that.outputHeight && outputWidth == that.outputWidth;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof PrimaryCaps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), capsuleChannels, capsuleDimension, configuredInputChannels, inputHeight, inputWidth,
                outputHeight, outputWidth);
    }

    /** Builder for {@link PrimaryCaps}; defaults are the paper's. Settings of DL4J's convolution builder apply too. */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {
        private int capsuleChannels = 32;
        private int capsuleDimension = 8;

        public Builder() {
            kernelSize(9, 9);
            stride(2, 2);
            padding(0, 0);
        }

        /** Number of capsule channels (paper: 32). */
        public Builder capsuleChannels(int capsuleChannels) {
            this.capsuleChannels = Checks.positive("capsuleChannels", capsuleChannels);
            return this;
        }

        /** Dimension of each capsule (paper: 8). */
        public Builder capsuleDimension(int capsuleDimension) {
            this.capsuleDimension = Checks.positive("capsuleDimension", capsuleDimension);
            return this;
        }

        /** Convolution kernel height and width (paper: 9×9). */
        public Builder kernelSize(int height, int width) {
            return kernelSize(new int[]{Checks.positive("kernel height", height), Checks.positive("kernel width", width)});
        }

        /** Convolution stride (paper: 2). */
        public Builder stride(int height, int width) {
            return stride(new int[]{Checks.positive("stride height", height), Checks.positive("stride width", width)});
        }

        /** Zero padding on each side (paper: 0). */
        public Builder padding(int height, int width) {
            return padding(new int[]{Checks.nonNegative("padding height", height), Checks.nonNegative("padding width", width)});
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public PrimaryCaps build() {
            if (activationFn != null && !Activation.IDENTITY.getActivationFunction().equals(activationFn)) {
                throw new IllegalArgumentException("PrimaryCaps has no activation setting: its non-linearity is the squash (eq. 1),"
                        + " got .activation(" + activationFn + "). Remove .activation(...) from its builder.");
            }
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new PrimaryCaps(this);
        }
    }
}
