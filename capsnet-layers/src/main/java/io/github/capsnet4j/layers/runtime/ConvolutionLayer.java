package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.Convolution;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The computation of {@link Convolution}, and the convolution of {@link PrimaryCapsLayer}: DL4J's
 * {@code ConvolutionLayer} (same parameters {@code b [nOut]}, {@code W [nOut, nIn, kH, kW]}, same validation and
 * masks) whose forward and backward passes run libnd4j's {@code conv2d} and {@code conv2d_bp} ops (oneDNN's kernels in
 * the {@code -onednn} ND4J binaries), or patch products (below):
 *
 * <pre>
 *   forward:   z[n, o, y, x] = b[o] + Σ_{c, ky, kx} W[o, c, ky, kx] · input[n, c, y·s + ky − p, x·s + kx − p],   a = activation(z)
 *   backward:  ∂L/∂z = activation'(z)ᵀ ∂L/∂a,   ∂L/∂input, ∂L/∂W, ∂L/∂b = conv2d_bp(input, W, b, ∂L/∂z)
 * </pre>
 *
 * (shown for NCHW without dilation). In training the forward pass keeps {@code z} with the activations for the
 * backward pass, so the convolution runs once per step (DL4J 1.0.0-M2.1's own layer computes im2col and the
 * forward product again in its backward pass). The input is cast to the network's data type, as DL4J's layers do.
 * A subclass that computes something else from {@code z} ({@link PrimaryCapsLayer}) overrides what is kept, the
 * output and the gradient of {@code z}. The layer's tensors ({@code z}, its output and, after a convolution of this
 * library, ∂L/∂input) are held in channels-last memory ({@link ChannelsLast}), the layout of oneDNN's kernels.
 *
 * <p>When a patch is larger than the output map ({@code c·kH·kW > H_out·W_out}, as for PrimaryCaps' 9×9×256 patches
 * on 6×6 positions) the convolution runs as matrix products over the image patches instead ({@link PatchConvolution}:
 * forward and weight gradient, the input gradient as libnd4j's {@code deconv2d}). So does the weight gradient without
 * the input gradient ({@link Convolution.Builder#inputGradient(boolean)}, as for Conv1 on the 1-channel image).
 */
public class ConvolutionLayer extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {

    private final int[] kernel;                                              // the geometry, read once from the configuration
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final ConvolutionMode mode;
    private final CNN2DFormat format;
    private final long inputChannels;
    private final long outputChannels;
    private final Conv2DConfig convolution;                                  // the same, as the op takes it
    private final boolean inputGradient;                                     // false: the backward pass skips ∂L/∂input
    private final PatchConvolution patches;                                  // the same convolution as patch products
    private final ForwardCache<INDArray> kept = new ForwardCache<>();       // what the last training forward pass keeps

    public ConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer layer = layerConf();
        this.kernel = layer.getKernelSize();
        this.stride = layer.getStride();
        this.padding = layer.getPadding();
        this.dilation = layer.getDilation();
        this.mode = layer.getConvolutionMode();
        this.format = layer.getCnn2dDataFormat();
        this.inputChannels = layer.getNIn();
        this.outputChannels = layer.getNOut();
        this.convolution = Conv2DConfig.builder()
                .kH(kernel[0]).kW(kernel[1])
                .sH(stride[0]).sW(stride[1])
                .pH(padding[0]).pW(padding[1])
                .dH(dilation[0]).dW(dilation[1])
                .paddingMode(mode == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(format == CNN2DFormat.NCHW ? Conv2DConfig.NCHW : Conv2DConfig.NHWC)
                .weightsFormat(WeightsFormat.OIYX)                           // W [nOut, nIn, kH, kW], DL4J's layout
                .build();
        this.inputGradient = !(layer instanceof Convolution) || ((Convolution) layer).isInputGradient();
        this.patches = new PatchConvolution(kernel, stride, padding, dilation, mode, inputChannels, outputChannels, dataType,
                PatchConvolution.PATCH_BYTES);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        prepareInput(training, workspaceMgr);
        // in training, what the backward pass needs lives with the activations until the backward pass of this step
        INDArray forward = keptForward(training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM, training, workspaceMgr);
        if (training) {
            kept.keep(forward, input);
        }
        return output(forward, training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray forward = kept.take(input);
        if (forward == null) {
            forward = keptForward(ArrayType.BP_WORKING_MEM, true, workspaceMgr);   // activate() was not called for this input
        }
        return backpropConvolution(gradConvolutionOutput(forward, epsilon, workspaceMgr), workspaceMgr);
    }

    /** What the forward pass keeps for the backward pass, in the given workspace: here {@code z}. */
    protected INDArray keptForward(ArrayType arrayType, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return convolve(arrayType, training, workspaceMgr);
    }

    /**
     * The layer's output from what the forward pass keeps: here {@code activation(z)}, in the activations workspace;
     * in channels-last memory like z when the activation is elementwise.
     */
    protected INDArray output(INDArray z, boolean training, LayerWorkspaceMgr workspaceMgr) {
        IActivation activation = layerConf().getActivationFn();
        if (!ChannelsLast.elementwise(activation)) {
            return activation.getActivation(workspaceMgr.dup(ArrayType.ACTIVATIONS, z, 'c'), training);   // as DL4J's layer
        }
        INDArray a = createTensor(ArrayType.ACTIVATIONS, z.size(0), height(z), width(z), workspaceMgr);
        memory(a).assign(memory(z));
        activation.getActivation(memory(a), training);                      // in place, on the contiguous memory
        return a;
    }

    /**
     * ∂L/∂z from what the forward pass kept and ∂L/∂output: here {@code activation'(z)ᵀ ∂L/∂a}, possibly overwriting z.
     * An elementwise activation works on the channels-last memory, as in the forward pass: ∂L/∂a is copied into that
     * layout first when it comes in another (from a layer that is not a convolution of this library).
     */
    protected INDArray gradConvolutionOutput(INDArray z, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        IActivation activation = layerConf().getActivationFn();
        if (!ChannelsLast.elementwise(activation)) {
            return activation.backprop(z, epsilon).getFirst();
        }
        INDArray gradA = contiguousMemory(epsilon, ArrayType.BP_WORKING_MEM, workspaceMgr);
        return tensor(activation.backprop(memory(z), gradA).getFirst());
    }

    /**
     * A new tensor of the layer's data format with {@link #outputChannels} channels, in the given workspace: for NCHW
     * held in channels-last memory ({@link ChannelsLast}), for NHWC a C-ordered array (the same memory).
     */
    protected INDArray createTensor(ArrayType arrayType, long batch, long height, long width, LayerWorkspaceMgr workspaceMgr) {
        return tensor(workspaceMgr.createUninitialized(arrayType, dataType, new long[]{batch, height, width, outputChannels}, 'c'));
    }

    /** A tensor of the layer's data format as {@code [batch, h, w, c]}: contiguous for those of {@link #createTensor}. */
    protected INDArray memory(INDArray tensor) {
        return format == CNN2DFormat.NCHW ? ChannelsLast.memory(tensor) : tensor;
    }

    /** The tensor of the layer's data format whose memory is {@code memory [batch, h, w, c]}. */
    private INDArray tensor(INDArray memory) {
        return format == CNN2DFormat.NCHW ? ChannelsLast.tensor(memory) : memory;
    }

    private long height(INDArray tensor) {
        return memory(tensor).size(1);
    }

    private long width(INDArray tensor) {
        return memory(tensor).size(2);
    }

    /** Checks the input and applies dropout: the first step of every forward pass. */
    protected void prepareInput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        validateInputRank();
        validateInputDepth(inputChannels);
        applyDropOutIfNecessary(training, workspaceMgr);
    }

    /**
     * {@code z = conv(input; W, b)}, in the given workspace: as patch products ({@link PatchConvolution}) when a patch
     * is larger than the output map, else by libnd4j's {@code conv2d}.
     */
    protected INDArray convolve(ArrayType arrayType, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        int[] outputSize = ConvolutionUtils.getOutputSize(x, kernel, stride, padding, mode, dilation, format);
        INDArray z = createTensor(arrayType, x.size(0), outputSize[0], outputSize[1], workspaceMgr);
        INDArray weights = weights(training, workspaceMgr);
        INDArray bias = bias(training, workspaceMgr);
        if (patches.covers(x, z, format) && byPatches(z)) {
            ArrayType scratch = arrayType == ArrayType.BP_WORKING_MEM ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM;
            patches.forward(contiguousMemory(x, scratch, workspaceMgr), weights, bias, memory(z), scratch, workspaceMgr);
        } else {
            Nd4j.exec(new Conv2D(inputs(x, weights, bias), new INDArray[]{z}, convolution));
        }
        return z;
    }

    /**
     * The backward pass of {@link #convolve} given {@code gradZ} = ∂L/∂z: writes ∂L/∂W and ∂L/∂b into the gradient
     * views and returns them with ∂L/∂input (null without the input gradient). Patch products serve the convolutions
     * {@link #convolve} runs as such, and the weight gradient alone; otherwise libnd4j's {@code conv2d_bp} runs.
     */
    protected Pair<Gradient, INDArray> backpropConvolution(INDArray gradZ, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        INDArray weights = weights(true, workspaceMgr);
        INDArray bias = bias(true, workspaceMgr);
        INDArray gradWeights = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray gradBias = bias == null ? null : gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        if (patches.covers(x, gradZ, format) && (byPatches(gradZ) || !inputGradient)) {
            INDArray gradMemory = contiguousMemory(gradZ, ArrayType.BP_WORKING_MEM, workspaceMgr);   // [batch, y, x, o]
            INDArray image = contiguousMemory(x, ArrayType.BP_WORKING_MEM, workspaceMgr);
            patches.weightGradient(image, gradMemory, gradWeights, gradBias, workspaceMgr);
            INDArray gradInput = null;
            if (inputGradient) {
                INDArray gradImage = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, image.shape(), 'c');
                patches.inputGradient(gradMemory, weights, gradImage, workspaceMgr);
                gradInput = backpropDropOutIfPresent(tensor(gradImage));
            }
            return new Pair<>(gradient(gradWeights, gradBias), gradInput);
        }
        INDArray gradInput = gradientLike(x, workspaceMgr);
        int[] arguments = Arrays.stream(new Conv2D(inputs(x, weights, bias), null, convolution).iArgs())
                .mapToInt(Math::toIntExact).toArray();                      // conv2d_bp takes conv2d's arguments
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(arguments);
        if (bias == null) {
            op.addInputs(x, weights, gradZ).addOutputs(gradInput, gradWeights);
        } else {
            op.addInputs(x, weights, bias, gradZ).addOutputs(gradInput, gradWeights, gradBias);
        }
        Nd4j.exec(op.build());
        return new Pair<>(gradient(gradWeights, gradBias), inputGradient ? backpropDropOutIfPresent(gradInput) : null);
    }

    /** Whether the convolution with output (or output gradient) {@code z} runs as patch products: c·ky·kx > y·x. */
    private boolean byPatches(INDArray z) {
        return patches.patchSize() > height(z) * width(z);
    }

    /**
     * A tensor of the layer's format as {@code [batch, h, w, c]} C-ordered memory: {@link #memory}, a view, when that is
     * contiguous (a channels-last NCHW tensor, what a convolution of this library produces, or a C-ordered NHWC
     * array), else a copy in {@code scratch}.
     */
    private INDArray contiguousMemory(INDArray tensor, ArrayType scratch, LayerWorkspaceMgr workspaceMgr) {
        INDArray memory = memory(tensor);
        return ChannelsLast.contiguous(memory) ? memory : workspaceMgr.dup(scratch, memory, 'c');
    }

    /**
     * A new array for ∂L/∂input in the memory layout of the input: channels-last for a channels-last tensor (what a
     * convolution before this one produces), otherwise C-ordered.
     */
    private INDArray gradientLike(INDArray x, LayerWorkspaceMgr workspaceMgr) {
        if (format == CNN2DFormat.NCHW && ChannelsLast.contiguous(ChannelsLast.memory(x)) && !ChannelsLast.contiguous(x)) {
            long[] memoryShape = ChannelsLast.memory(x).shape();
            return ChannelsLast.tensor(workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, memoryShape, 'c'));
        }
        return workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    }

    private Gradient gradient(INDArray gradWeights, INDArray gradBias) {
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        if (gradBias != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, gradBias);   // DL4J's order: b, then W
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, gradWeights);
        return gradient;
    }

    private INDArray weights(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
    }

    /** The bias {@code [nOut]}, null without bias. */
    private INDArray bias(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr) : null;
    }

    private static INDArray[] inputs(INDArray input, INDArray weights, INDArray bias) {
        return bias == null ? new INDArray[]{input, weights} : new INDArray[]{input, weights, bias};
    }

    @Override
    public void clear() {
        super.clear();
        kept.clear();
    }
}
