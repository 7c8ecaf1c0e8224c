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
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The computation of {@link Convolution}, and the convolution of {@link PrimaryCapsLayer}: DL4J's
 * {@code ConvolutionLayer} (same parameters {@code b [nOut]}, {@code W [nOut, nIn, kH, kW]}, same validation and
 * masks) whose forward and backward passes run libnd4j's {@code conv2d} and {@code conv2d_bp} ops, oneDNN's kernels in
 * the {@code -onednn} ND4J binaries:
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
 * <p>Without the input gradient ({@link Convolution.Builder#inputGradient(boolean)}) and with patches no larger than
 * the output map ({@code c·kH·kW ≤ H_out·W_out}, as for a first layer on few channels) the backward pass is the
 * weight gradient alone, matrix products over the image patches (im2col); otherwise {@code conv2d_bp} runs as
 * usual and its ∂L/∂input is dropped:
 *
 * <pre>
 *   ∂L/∂W[o, c, ky, kx] = Σ_{n, y, x} ∂L/∂z[n, o, y, x] · patches[n, c, ky, kx, y, x],   ∂L/∂b[o] = Σ_{n, y, x} ∂L/∂z[n, o, y, x]
 * </pre>
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
        this.convolution = geometry(padding)
                .dataFormat(format == CNN2DFormat.NCHW ? Conv2DConfig.NCHW : Conv2DConfig.NHWC)
                .weightsFormat(WeightsFormat.OIYX)                           // W [nOut, nIn, kH, kW], DL4J's layout
                .build();
        this.inputGradient = !(layer instanceof Convolution) || ((Convolution) layer).isInputGradient();
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
        INDArray gradA = memory(epsilon);
        if (!ChannelsLast.contiguous(gradA)) {
            gradA = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, gradA, 'c');
        }
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

    /** {@code z = conv(input; W, b)}, in the given workspace. */
    protected INDArray convolve(ArrayType arrayType, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        int[] outputSize = ConvolutionUtils.getOutputSize(x, kernel, stride, padding, mode, dilation, format);
        INDArray z = createTensor(arrayType, x.size(0), outputSize[0], outputSize[1], workspaceMgr);
        Nd4j.exec(new Conv2D(inputs(x, weights(training, workspaceMgr), bias(training, workspaceMgr)), new INDArray[]{z},
                convolution));
        return z;
    }

    /**
     * The backward pass of {@link #convolve} given {@code gradZ} = ∂L/∂z: writes ∂L/∂W and ∂L/∂b into the gradient
     * views and returns them with ∂L/∂input.
     */
    protected Pair<Gradient, INDArray> backpropConvolution(INDArray gradZ, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        INDArray weights = weights(true, workspaceMgr);
        INDArray bias = bias(true, workspaceMgr);
        INDArray gradWeights = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray gradBias = bias == null ? null : gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        if (!inputGradient && patchSize() <= positions(gradZ)) {
            weightGradient(x, gradZ, gradWeights, gradBias, workspaceMgr);
            return new Pair<>(gradient(gradWeights, gradBias), null);
        }
        // without the input gradient but with patches larger than the output map, conv2d_bp's ∂L/∂input is scratch
        INDArray gradInput = gradientLike(x, inputGradient ? ArrayType.ACTIVATION_GRAD : ArrayType.BP_WORKING_MEM, workspaceMgr);
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

    /**
     * A new array for ∂L/∂input in the memory layout of the input: channels-last for a channels-last tensor (what a
     * convolution before this one produces), otherwise C-ordered.
     */
    private INDArray gradientLike(INDArray x, ArrayType arrayType, LayerWorkspaceMgr workspaceMgr) {
        if (format == CNN2DFormat.NCHW && ChannelsLast.contiguous(ChannelsLast.memory(x)) && !ChannelsLast.contiguous(x)) {
            long[] memoryShape = ChannelsLast.memory(x).shape();
            return ChannelsLast.tensor(workspaceMgr.createUninitialized(arrayType, dataType, memoryShape, 'c'));
        }
        return workspaceMgr.createUninitialized(arrayType, dataType, x.shape(), 'c');
    }

    /** c·ky·kx: the size of one image patch. */
    private long patchSize() {
        return inputChannels * kernel[0] * kernel[1];
    }

    /** y·x: the positions of the output map of {@code z}. */
    private long positions(INDArray z) {
        return height(z) * width(z);
    }

    /**
     * ∂L/∂W and ∂L/∂b (when {@code gradBias} is not null), written into the gradient views: per example one product
     * {@code ∂L/∂z_nᵀ [o, y·x] · patches_nᵀ [y·x, c·ky·kx]} (∂L/∂z in channels-last memory), summed over the examples. The
     * per-example products are no larger than ∂L/∂z when a patch is no larger than the output map
     * (c·ky·kx ≤ y·x), the case this is used for.
     */
    private void weightGradient(INDArray x, INDArray gradZ, INDArray gradWeights, INDArray gradBias, LayerWorkspaceMgr workspaceMgr) {
        INDArray images = format == CNN2DFormat.NCHW ? x : x.permute(0, 3, 1, 2);   // im2col reads [batch, c, h, w]
        INDArray gradMemory = memory(gradZ);                                 // [batch, y, x, o]
        if (!ChannelsLast.contiguous(gradMemory)) {
            gradMemory = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, gradMemory, 'c');
        }
        long batch = x.size(0);
        long positions = positions(gradZ);
        long patchSize = patchSize();
        INDArray patches = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{batch, inputChannels, kernel[0], kernel[1], gradMemory.size(1), gradMemory.size(2)}, 'c');
        Im2col im2col = new Im2col(images, patchConfiguration(images, gradMemory));
        im2col.addOutputArgument(patches);                                   // [batch, c, ky, kx, y, x]
        Nd4j.exec(im2col);
        INDArray gradByPosition = gradMemory.reshape('c', batch, positions, outputChannels);
        INDArray perExample = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{batch, outputChannels, patchSize}, 'c');
        Nd4j.matmul(gradByPosition, patches.reshape('c', batch, patchSize, positions), perExample, true, true, false);
        // Σ over the examples (and, for the bias, over the positions) as products with a row of ones: column sums are slow
        sumOfRows(perExample.reshape('c', batch, outputChannels * patchSize),
                gradWeights.reshape('c', true, 1, outputChannels * patchSize), workspaceMgr);
        if (gradBias != null) {
            sumOfRows(gradByPosition.reshape('c', batch * positions, outputChannels), gradBias.reshape('c', true, 1, outputChannels),
                    workspaceMgr);
        }
    }

    /** Writes the sum of the rows of {@code matrix} into the row {@code sum}, as {@code [1 … 1] · matrix}. */
    private void sumOfRows(INDArray matrix, INDArray sum, LayerWorkspaceMgr workspaceMgr) {
        INDArray ones = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[]{1, matrix.size(0)}, 'c');
        ones.assign(1.0).mmul(matrix, sum);
    }

    /**
     * The convolution's geometry as libnd4j's {@code im2col} op takes it: in Same mode with the top and left padding
     * given explicitly (the op pads by its arguments; its Same flag sets the output size, which pads the bottom and
     * right by the rest).
     */
    private Conv2DConfig patchConfiguration(INDArray images, INDArray gradMemory) {
        int[] pad = padding;
        if (mode == ConvolutionMode.Same) {
            int[] outputSize = {(int) gradMemory.size(1), (int) gradMemory.size(2)};
            int[] inputSize = {(int) images.size(2), (int) images.size(3)};
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outputSize, inputSize, kernel, stride, dilation);
        }
        return geometry(pad).build();
    }

    /** Kernel, stride, dilation and padding mode of the configuration, with the given (top, left) padding. */
    private Conv2DConfig.Conv2DConfigBuilder geometry(int[] pad) {
        return Conv2DConfig.builder()
                .kH(kernel[0]).kW(kernel[1])
                .sH(stride[0]).sW(stride[1])
                .pH(pad[0]).pW(pad[1])
                .dH(dilation[0]).dW(dilation[1])
                .paddingMode(mode == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID);
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
