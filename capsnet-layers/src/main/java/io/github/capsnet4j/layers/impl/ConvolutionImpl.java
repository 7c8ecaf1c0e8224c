package io.github.capsnet4j.layers.impl;

import io.github.capsnet4j.layers.Convolution;
import io.github.capsnet4j.ops.ConvolutionKernels;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * The computation of {@link Convolution}:
 *
 * <pre>
 *   forward:   z = conv(input; W, b),   a = activation(z)
 *   backward:  ∂L/∂z = activation'(z)ᵀ ∂L/∂a,   ∂L/∂input, ∂L/∂W, ∂L/∂b = conv2d_bp(input, W, b, ∂L/∂z)
 * </pre>
 *
 * In training the forward pass keeps {@code z} with the activations for the backward pass, so the
 * convolution runs once per step. Everything else (parameters, validation, masks) is DL4J's.
 */
public class ConvolutionImpl extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {

    private final KeptForward<INDArray> keptPreActivation = new KeptForward<>();   // z of the last training forward pass

    public ConvolutionImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        validateInputRank();
        validateInputDepth(layerConf().getNIn());
        applyDropOutIfNecessary(training, workspaceMgr);
        // in training, z lives with the activations until the backward pass of this step
        INDArray z = preActivation(training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM, training, workspaceMgr);
        if (training) {
            keptPreActivation.keep(z, input);
        }
        INDArray activation = workspaceMgr.dup(ArrayType.ACTIVATIONS, z);
        return layerConf().getActivationFn().getActivation(activation, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray z = keptPreActivation.take(input);
        if (z == null) {
            z = preActivation(ArrayType.BP_WORKING_MEM, true, workspaceMgr);   // activate() was not called for this input
        }
        INDArray gradZ = layerConf().getActivationFn().backprop(z, epsilon).getFirst();   // overwrites z, no longer needed
        INDArray gradInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        ConvolutionKernels.backward(input, getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr),
                bias(true, workspaceMgr), gradZ, convolutionConfig(), gradInput, weightGrad,
                biasGrad == null ? null : biasGrad.reshape(biasGrad.length()));
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        if (biasGrad != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);   // DL4J's order: b, then W
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad);
        return new Pair<>(gradient, backpropDropOutIfPresent(gradInput));
    }

    /** z = conv(input; W, b) in the given workspace. */
    private INDArray preActivation(ArrayType arrayType, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ConvolutionLayer conf = layerConf();
        CNN2DFormat format = conf.getCnn2dDataFormat();
        int[] outputSize = ConvolutionUtils.getOutputSize(input, conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                conf.getConvolutionMode(), conf.getDilation(), format);
        long batch = input.size(0);
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{batch, conf.getNOut(), outputSize[0], outputSize[1]}
                : new long[]{batch, outputSize[0], outputSize[1], conf.getNOut()};
        INDArray z = workspaceMgr.createUninitialized(arrayType, dataType, shape, 'c');
        ConvolutionKernels.forward(input, getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                bias(training, workspaceMgr), convolutionConfig(), z);
        return z;
    }

    /** The bias as the rank-1 {@code [nOut]} the op takes (DL4J stores {@code [1, nOut]}); null without bias. */
    private INDArray bias(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!hasBias()) {
            return null;
        }
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr);
        return bias.reshape(bias.length());
    }

    /** This layer's settings for the op: DL4J's weight layout OIYX, explicit padding or "same" mode. */
    private Conv2DConfig convolutionConfig() {
        ConvolutionLayer conf = layerConf();
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] padding = conf.getPadding();
        int[] dilation = conf.getDilation();
        return Conv2DConfig.builder()
                .kH(kernel[0]).kW(kernel[1])
                .sH(stride[0]).sW(stride[1])
                .pH(padding[0]).pW(padding[1])
                .dH(dilation[0]).dW(dilation[1])
                .paddingMode(conf.getConvolutionMode() == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(conf.getCnn2dDataFormat() == CNN2DFormat.NCHW ? Conv2DConfig.NCHW : Conv2DConfig.NHWC)
                .weightsFormat(WeightsFormat.OIYX)                         // W [nOut, nIn, kH, kW]
                .build();
    }

    @Override
    public void clear() {
        super.clear();
        keptPreActivation.clear();
    }
}
