package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.impl.PrimaryCapsLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * capsules is inferred from it.
 *
 * <p>Parameters: {@code W [kH, kW, inputChannels, capsuleChannels·capsuleDimension]} (YXIO) and
 * {@code b [capsuleChannels·capsuleDimension]}, in that order. Weights are initialised by the layer's
 * {@code weightInit} (the network's default, Xavier, when not set); biases by {@code biasInit} (0).
 *
 * <p>It is a plain DL4J layer, not a SameDiff one: {@link PrimaryCapsLayer} runs the convolution once per
 * training step (a SameDiff layer runs its forward pass again inside its backward pass, which for this
 * convolution, 94% of the network's forward cost, is the price of a whole extra forward pass), with a
 * hand-written backward pass for the squash.
 */
public class PrimaryCaps extends BaseCapsuleLayer {

    public static final String WEIGHT_KEY = "W";
    public static final String BIAS_KEY = "b";

    private int capsuleChannels;
    private int capsuleDimension;
    private int[] kernelSize;
    private int[] stride;
    private int[] padding;
    private long configuredInputChannels;
    private long inputChannels;
    private long inputHeight;
    private long inputWidth;

    /** For JSON deserialisation (the builder's defaults, then the stored values); use {@link #builder()}. */
    protected PrimaryCaps() {
        this(new Builder());
    }

    protected PrimaryCaps(Builder builder) {
        super(builder);
        this.capsuleChannels = builder.capsuleChannels;
        this.capsuleDimension = builder.capsuleDimension;
        this.kernelSize = builder.kernelSize;
        this.stride = builder.stride;
        this.padding = builder.padding;
        this.configuredInputChannels = builder.inputChannels;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The convolution's configuration: this layer's kernel, stride and padding, NCHW, YXIO weights. */
    public Conv2DConfig convolutionConfig() {
        return Conv2DConfig.builder()
                .kH(kernelSize[0]).kW(kernelSize[1])
                .sH(stride[0]).sW(stride[1])
                .pH(padding[0]).pW(padding[1])
                .dataFormat(Conv2DConfig.NCHW)
                .build();                                                   // weights default to YXIO: [kH, kW, in, out]
    }

    @Override
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(WEIGHT_KEY, new long[]{kernelSize[0], kernelSize[1], inputChannels, convolutionChannels()});
        shapes.put(BIAS_KEY, new long[]{convolutionChannels()});
        return shapes;
    }

    @Override
    public boolean isBiasParameter(String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        double fanIn = inputChannels * kernelSize[0] * kernelSize[1];
        double fanOut = convolutionChannels() * kernelSize[0] * kernelSize[1];
        IWeightInit weightInit = weightInitFn != null ? weightInitFn : WeightInit.XAVIER.getWeightInitFunction();
        INDArray weights = params.get(WEIGHT_KEY);
        weightInit.init(fanIn, fanOut, weights.shape(), 'c', weights);
        params.get(BIAS_KEY).assign(biasInit);
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new PrimaryCapsLayer(conf, dataType);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long parameters = initializer().numParams(this);
        long convolutionOutput = convolutionChannels() * outputHeight() * outputWidth();
        return new LayerMemoryReport.Builder(layerName, PrimaryCaps.class, inputType, outputType)
                .standardMemory(parameters, parameters)
                .workingMemory(0, convolutionOutput, 0, 2 * convolutionOutput)          // z forward; ∂L/∂z backward (per example)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional image = requireImage(inputType);
        long height = outputSize(image.getHeight(), 0);
        long width = outputSize(image.getWidth(), 1);
        return CapsuleTypes.capsulesType(capsuleChannels * height * width, capsuleDimension);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional image = requireImage(inputType);
        if (configuredInputChannels > 0 && configuredInputChannels != image.getChannels()) {
            throw new InvalidInputTypeException("PrimaryCaps was configured for " + configuredInputChannels + " input channels but its input "
                    + inputType + " has " + image.getChannels() + ". Remove .nIn(...) to infer it, or fix the layer before.");
        }
        inputChannels = image.getChannels();
        inputHeight = image.getHeight();
        inputWidth = image.getWidth();
        outputSize(inputHeight, 0);
        outputSize(inputWidth, 1);
    }

    /** Checks an input array against the InputType this layer was configured for. */
    public void validateInput(INDArray input) {
        if (input.rank() != 4 || input.size(1) != inputChannels || input.size(2) != inputHeight || input.size(3) != inputWidth) {
            throw new IllegalArgumentException("PrimaryCaps expects images [batch, " + inputChannels + ", " + inputHeight + ", "
                    + inputWidth + "] (NCHW) but got " + Arrays.toString(input.shape())
                    + ". Feed data of the configured InputType, or rebuild the configuration for this input size.");
        }
    }

    private InputType.InputTypeConvolutional requireImage(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)) {
            throw new InvalidInputTypeException("PrimaryCaps expects convolutional input (InputType.convolutional(height, width, channels)),"
                    + " but got " + inputType + ". Put it after a convolution layer or declare the graph input as convolutional"
                    + " (for flat images use InputType.convolutionalFlat(height, width, channels)).");
        }
        InputType.InputTypeConvolutional image = (InputType.InputTypeConvolutional) inputType;
        if (image.getFormat() != org.deeplearning4j.nn.conf.CNN2DFormat.NCHW) {
            throw new InvalidInputTypeException("PrimaryCaps expects NCHW images, got " + image.getFormat()
                    + ". Use the NCHW data format for the layers before it.");
        }
        return image;
    }

    /** Output size of the convolution along axis 0 (height) or 1 (width); fails if the kernel does not fit. */
    private long outputSize(long inputSize, int axis) {
        long size = (inputSize + 2L * padding[axis] - kernelSize[axis]) / stride[axis] + 1;
        if (inputSize + 2L * padding[axis] < kernelSize[axis] || size < 1) {
            throw new InvalidInputTypeException("PrimaryCaps kernel " + kernelSize[axis] + " does not fit an input of size "
                    + inputSize + " (padding " + padding[axis] + ") along " + (axis == 0 ? "height" : "width")
                    + ". Use a smaller kernel, more padding or a larger input.");
        }
        return size;
    }

    public long outputHeight() {
        return outputSize(inputHeight, 0);
    }

    public long outputWidth() {
        return outputSize(inputWidth, 1);
    }

    /** Number of output capsules, {@code capsuleChannels · H · W}. */
    public long capsuleCount() {
        return capsuleChannels * outputHeight() * outputWidth();
    }

    /** Output channels of the convolution, {@code capsuleChannels · capsuleDimension}. */
    public long convolutionChannels() {
        return (long) capsuleChannels * capsuleDimension;
    }

    public int getCapsuleChannels() {
        return capsuleChannels;
    }

    public void setCapsuleChannels(int capsuleChannels) {
        this.capsuleChannels = capsuleChannels;
    }

    public int getCapsuleDimension() {
        return capsuleDimension;
    }

    public void setCapsuleDimension(int capsuleDimension) {
        this.capsuleDimension = capsuleDimension;
    }

    public int[] getKernelSize() {
        return kernelSize;
    }

    public void setKernelSize(int[] kernelSize) {
        this.kernelSize = kernelSize;
    }

    public int[] getStride() {
        return stride;
    }

    public void setStride(int[] stride) {
        this.stride = stride;
    }

    public int[] getPadding() {
        return padding;
    }

    public void setPadding(int[] padding) {
        this.padding = padding;
    }

    public long getConfiguredInputChannels() {
        return configuredInputChannels;
    }

    public void setConfiguredInputChannels(long configuredInputChannels) {
        this.configuredInputChannels = configuredInputChannels;
    }

    public long getInputChannels() {
        return inputChannels;
    }

    public void setInputChannels(long inputChannels) {
        this.inputChannels = inputChannels;
    }

    public long getInputHeight() {
        return inputHeight;
    }

    public void setInputHeight(long inputHeight) {
        this.inputHeight = inputHeight;
    }

    public long getInputWidth() {
        return inputWidth;
    }

    public void setInputWidth(long inputWidth) {
        this.inputWidth = inputWidth;
    }

    /** Builder for {@link PrimaryCaps}; defaults are the paper's. */
    public static class Builder extends BaseLayer.Builder<Builder> {
        private int capsuleChannels = 32;
        private int capsuleDimension = 8;
        private int[] kernelSize = {9, 9};
        private int[] stride = {2, 2};
        private int[] padding = {0, 0};
        private long inputChannels;

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
            this.kernelSize = new int[]{Checks.positive("kernel height", height), Checks.positive("kernel width", width)};
            return this;
        }

        /** Convolution stride (paper: 2). */
        public Builder stride(int height, int width) {
            this.stride = new int[]{Checks.positive("stride height", height), Checks.positive("stride width", width)};
            return this;
        }

        /** Zero padding on each side (paper: 0). */
        public Builder padding(int height, int width) {
            this.padding = new int[]{Checks.nonNegative("padding height", height), Checks.nonNegative("padding width", width)};
            return this;
        }

        /** Input channels, checked against the InputType (which it is inferred from when not set). */
        public Builder nIn(long inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public PrimaryCaps build() {
            return new PrimaryCaps(this);
        }
    }
}
