package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

/**
 * DL4J's {@link ConvolutionLayer}, configured and stored exactly like it (same builder settings, same
 * parameters {@code b [nOut]} and {@code W [nOut, nIn, kH, kW]}), computed by libnd4j's {@code conv2d} and
 * {@code conv2d_bp} ops (oneDNN's kernels with the {@code -onednn} ND4J binaries), or, when a patch
 * ({@code nIn·kH·kW}) is larger than the output map, as matrix products over the image patches with the input
 * gradient by libnd4j's {@code deconv2d}; one convolution per training step instead of three. (DL4J 1.0.0-M2.1's own
 * implementation always runs im2col + matrix product, and in its backward pass computes im2col and the forward
 * product again.) The paper's first layer, "Conv1" (256 @ 9×9, ReLU), is one of these in {@code CapsNetMnist};
 * {@link PrimaryCaps} runs the same computation ({@link io.github.capsnet4j.layers.runtime.ConvolutionLayer}) with the
 * same weight layout.
 *
 * <p>A convolution that reads the network's input directly has nothing before it to pass a gradient to:
 * {@link Builder#inputGradient(boolean) inputGradient(false)} skips ∂L/∂input in its backward pass (Conv1 of
 * {@code CapsNetMnist}: at batch 128 the input gradient of a 1-channel 28×28 image costs about 100 ms, roughly a
 * tenth of a training step) and computes ∂L/∂W, ∂L/∂b alone.
 */
public class Convolution extends ConvolutionLayer {

    private boolean inputGradient = true;

    /** For JSON deserialisation; use {@link #builder(int...)}. */
    public Convolution() {
    }

    protected Convolution(Builder builder) {
        super(builder);
        this.inputGradient = builder.inputGradient;
    }

    /** Whether the backward pass computes ∂L/∂input (true unless the layer reads the network's input). */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Convolution && super.equals(other) && inputGradient == ((Convolution) other).inputGradient;
    }

    /** DL4J's {@code equals} asks this: a plain {@code ConvolutionLayer} never equals a {@code Convolution}, either way round. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Convolution;
    }

    /**
     * DL4J's preprocessor for the input type; refused without the input gradient for flat images
     * ({@code InputType.convolutionalFlat}), whose {@code FeedForwardToCnnPreProcessor} fails on a missing gradient.
     */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        InputPreProcessor preProcessor = super.getPreProcessorForInputType(inputType);
        if (!inputGradient && preProcessor != null) {
            throw new IllegalStateException("Convolution '" + getLayerName() + "' with inputGradient(false) gets its input through "
                    + preProcessor.getClass().getSimpleName() + " (input type " + inputType + "), which cannot pass on a missing"
                    + " gradient. Feed images [batch, channels, height, width] (InputType.convolutional), or keep the input gradient.");
        }
        return preProcessor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inputGradient);
    }

    /** A builder for a convolution with the given kernel size (height, width). */
    public static Builder builder(int... kernelSize) {
        return new Builder(kernelSize);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Convolution", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new io.github.capsnet4j.layers.runtime.ConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams);
    }

    /** Builder; every setting of DL4J's {@code ConvolutionLayer.Builder} applies. */
    public static class Builder extends ConvolutionLayer.Builder {

        private boolean inputGradient = true;

        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        /**
         * false: the backward pass skips ∂L/∂input and returns no gradient for the input (null, as DL4J's
         * {@code EmbeddingLayer} does). Only for a layer whose input is one of the network's inputs: a layer before it
         * would get no gradient. Default true.
         */
        public Builder inputGradient(boolean inputGradient) {
            this.inputGradient = inputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Convolution build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new Convolution(this);
        }
    }
}
