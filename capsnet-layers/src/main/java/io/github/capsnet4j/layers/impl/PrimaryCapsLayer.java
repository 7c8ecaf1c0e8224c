package io.github.capsnet4j.layers.impl;

import io.github.capsnet4j.layers.PrimaryCaps;
import io.github.capsnet4j.ops.ConvolutionKernels;
import io.github.capsnet4j.ops.Squash;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of {@link PrimaryCaps} (paper section 4, eq. 1):
 *
 * <pre>
 *   forward:   z = conv(input; W, b)                [batch, C·D, H, W]
 *              s = group(z)                         [batch, C·H·W, D]   (unit d of capsule channel c at one position)
 *              v = squash(s)
 *   backward:  ∂L/∂s = squash'(s)ᵀ ∂L/∂v            ({@link Squash#backward})
 *              ∂L/∂z = ungroup(∂L/∂s)
 *              ∂L/∂input, ∂L/∂W, ∂L/∂b = conv2d_bp(input, W, b, ∂L/∂z)
 * </pre>
 *
 * The forward pass keeps {@code s} (small: {@code batch × C·H·W × D}) for the backward pass, so the
 * convolution runs once per training step.
 */
public class PrimaryCapsLayer extends ForwardKeepingLayer<PrimaryCaps, INDArray> {   // keeps s

    public PrimaryCapsLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        layerConf().validateInput(input);
        // in training, s lives with the activations until the backward pass of this step
        INDArray s = unsquashed(training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM, training, workspaceMgr);
        if (training) {
            keep(s);
        }
        INDArray v = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, s.shape(), 'c');
        return v.assign(Squash.squash(s));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        PrimaryCaps conf = layerConf();
        INDArray s = takeKept();
        if (s == null) {
            s = unsquashed(ArrayType.BP_WORKING_MEM, true, workspaceMgr);   // activate() was not called for this input
        }
        INDArray gradS = Squash.backward(s, epsilon);
        long batch = input.size(0);
        INDArray gradZ = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{batch, conf.convolutionChannels(), conf.outputHeight(), conf.outputWidth()}, 'c');
        ungroup(gradS, gradZ);
        INDArray gradInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        INDArray weightGrad = gradientViews.get(PrimaryCaps.WEIGHT_KEY);
        INDArray biasGrad = gradientViews.get(PrimaryCaps.BIAS_KEY);
        ConvolutionKernels.backward(input, getParamWithNoise(PrimaryCaps.WEIGHT_KEY, true, workspaceMgr),
                getParamWithNoise(PrimaryCaps.BIAS_KEY, true, workspaceMgr), gradZ, conf.convolutionConfig(),
                gradInput, weightGrad, biasGrad);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.setGradientFor(PrimaryCaps.WEIGHT_KEY, weightGrad);
        gradient.setGradientFor(PrimaryCaps.BIAS_KEY, biasGrad);
        return new Pair<>(gradient, backpropDropOutIfPresent(gradInput));
    }

    /** Convolution, then grouping into capsules: s {@code [batch, C·H·W, D]} in the given workspace. */
    private INDArray unsquashed(ArrayType arrayType, boolean training, LayerWorkspaceMgr workspaceMgr) {
        PrimaryCaps conf = layerConf();
        long batch = input.size(0);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType,
                new long[]{batch, conf.convolutionChannels(), conf.outputHeight(), conf.outputWidth()}, 'c');
        ConvolutionKernels.forward(input, getParamWithNoise(PrimaryCaps.WEIGHT_KEY, training, workspaceMgr),
                getParamWithNoise(PrimaryCaps.BIAS_KEY, training, workspaceMgr), conf.convolutionConfig(), z);
        INDArray s = workspaceMgr.createUninitialized(arrayType, dataType,
                new long[]{batch, conf.capsuleCount(), conf.getCapsuleDimension()}, 'c');
        byChannelAndPosition(s).assign(byChannelAndDimension(z).permute(0, 1, 3, 2));   // [b, c, d, pos] → [b, c, pos, d]
        return s;
    }

    /** The inverse of the grouping: ∂L/∂s {@code [batch, C·H·W, D]} → ∂L/∂z {@code [batch, C·D, H, W]}. */
    private void ungroup(INDArray gradS, INDArray gradZ) {
        byChannelAndDimension(gradZ).assign(byChannelAndPosition(gradS.dup('c')).permute(0, 1, 3, 2));
    }

    /** View of a convolution output {@code [batch, C·D, H, W]} as {@code [batch, C, D, H·W]}. */
    private INDArray byChannelAndDimension(INDArray z) {
        PrimaryCaps conf = layerConf();
        return z.reshape('c', z.size(0), conf.getCapsuleChannels(), conf.getCapsuleDimension(), conf.outputHeight() * conf.outputWidth());
    }

    /** View of capsules {@code [batch, C·H·W, D]} as {@code [batch, C, H·W, D]} (capsule index (c·H + y)·W + x). */
    private INDArray byChannelAndPosition(INDArray s) {
        PrimaryCaps conf = layerConf();
        return s.reshape('c', s.size(0), conf.getCapsuleChannels(), conf.outputHeight() * conf.outputWidth(), conf.getCapsuleDimension());
    }
}
