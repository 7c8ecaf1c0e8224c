package io.github.capsnet4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A 2-D convolution on plain arrays, forward and backward, through libnd4j's {@code conv2d} and
 * {@code conv2d_bp} ops (which run oneDNN's kernels in the {@code -onednn} ND4J binaries):
 *
 * <pre>
 *   z[n, o, y, x] = b[o] + Σ_{c, ky, kx} W[ky, kx, c, o] · input[n, c, y·s + ky − p, x·s + kx − p]
 * </pre>
 *
 * (shown for the YXIO weight layout; the layout is the config's {@code weightsFormat}). Layers that call
 * these run each convolution once per training step: DL4J's {@code ConvolutionLayer} computes im2col and
 * the forward pass again in its backward pass, and a SameDiff layer's backward pass repeats its forward pass.
 */
public final class ConvolutionKernels {

    private ConvolutionKernels() {
    }

    /** Writes the convolution of {@code input} into {@code output}; {@code bias} may be null (no bias). */
    public static void forward(INDArray input, INDArray weights, INDArray bias, Conv2DConfig config, INDArray output) {
        Nd4j.exec(new Conv2D(inputs(input, weights, bias), new INDArray[]{output}, config));
    }

    /**
     * Writes the gradients of the loss with respect to input, weights and bias, given {@code gradOutput}
     * = ∂L/∂z, into the given arrays (of the shapes of input, weights and bias); without a bias both
     * {@code bias} and {@code gradBias} are null.
     */
    public static void backward(INDArray input, INDArray weights, INDArray bias, INDArray gradOutput, Conv2DConfig config,
                                INDArray gradInput, INDArray gradWeights, INDArray gradBias) {
        int[] arguments = Arrays.stream(new Conv2D(inputs(input, weights, bias), null, config).iArgs())
                .mapToInt(Math::toIntExact).toArray();                     // conv2d_bp takes conv2d's arguments
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(arguments);
        if (bias == null) {
            op.addInputs(input, weights, gradOutput).addOutputs(gradInput, gradWeights);
        } else {
            op.addInputs(input, weights, bias, gradOutput).addOutputs(gradInput, gradWeights, gradBias);
        }
        Nd4j.exec(op.build());
    }

    private static INDArray[] inputs(INDArray input, INDArray weights, INDArray bias) {
        return bias == null ? new INDArray[]{input, weights} : new INDArray[]{input, weights, bias};
    }
}
