package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.PrimaryCaps;
import io.github.capsnet4j.ops.Precision;
import io.github.capsnet4j.ops.Squash;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The computation of {@link PrimaryCaps} (paper section 4, eq. 1): {@link ConvolutionLayer}'s convolution, then
 * the grouping into capsules and the squash:
 *
 * <pre>
 *   forward:   z = conv(input; W, b)                [batch, C·D, H, W]   (in channels-last memory, as {@link ConvolutionLayer} holds it)
 *              s = group(z)                         [batch, C·H·W, D]   (unit d of capsule channel c at one position)
 *              v = squash(s)                        ({@link Squash#squash(INDArray, INDArray)})
 *   backward:  ∂L/∂s = squash'(s)ᵀ ∂L/∂v            ({@link Squash#backward})
 *              ∂L/∂z = ungroup(∂L/∂s)
 *              ∂L/∂input, ∂L/∂W, ∂L/∂b from ∂L/∂z      ({@link ConvolutionLayer}'s backward pass: patch products for 9×9×256 patches)
 * </pre>
 *
 * The forward pass keeps {@code s} (small: {@code batch × C·H·W × D}) for the backward pass, so the
 * convolution runs once per training step. The geometry is the configuration's, read once.
 */
public class PrimaryCapsLayer extends ConvolutionLayer {

    private final int capsuleChannels;                                    // C
    private final int capsuleDimension;                                   // D
    private final long[] inputShape;                                      // [channels, height, width] of one example
    private final long positions;                                         // H·W of the convolution's output
    private final long outputHeight;                                      // H of the convolution's output
    private final long outputWidth;                                       // W

    public PrimaryCapsLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        PrimaryCaps layer = (PrimaryCaps) conf.getLayer();
        Precision.requireSupported(dataType, "PrimaryCaps '" + layer.getLayerName() + "'");
        this.capsuleChannels = layer.getCapsuleChannels();
        this.capsuleDimension = layer.getCapsuleDimension();
        this.inputShape = new long[]{layer.getNIn(), layer.getInputHeight(), layer.getInputWidth()};
        this.positions = layer.getOutputHeight() * layer.getOutputWidth();
        this.outputHeight = layer.getOutputHeight();
        this.outputWidth = layer.getOutputWidth();
    }

    /** What the forward pass keeps: the capsules before the squash, s {@code [batch, C·H·W, D]}. */
    @Override
    protected INDArray keptForward(ArrayType arrayType, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = convolve(ArrayType.FF_WORKING_MEM, training, workspaceMgr);
        INDArray s = workspaceMgr.createUninitialized(arrayType, dataType,
                new long[]{z.size(0), capsuleChannels * positions, capsuleDimension}, 'c');
        byChannelAndPosition(s).assign(byPositionAndChannel(z).permute(0, 2, 1, 3));   // [b, pos, c, d] → [b, c, pos, d]
        return s;
    }

    /** v = squash(s), in the activations workspace. */
    @Override
    protected INDArray output(INDArray s, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return Squash.squash(s, workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, s.shape(), 'c'));
    }

    /** ∂L/∂z = ungroup(squash'(s)ᵀ ∂L/∂v). */
    @Override
    protected INDArray gradConvolutionOutput(INDArray s, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray gradS = Squash.backward(s, epsilon);
        INDArray gradZ = createTensor(ArrayType.BP_WORKING_MEM, s.size(0), outputHeight, outputWidth, workspaceMgr);
        byPositionAndChannel(gradZ).assign(byChannelAndPosition(gradS).permute(0, 2, 1, 3));   // ungroup
        return gradZ;
    }

    /** Checks the input against the configured image size, then as {@link ConvolutionLayer} does. */
    @Override
    protected void prepareInput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 4 || !Arrays.equals(Arrays.copyOfRange(input.shape(), 1, 4), inputShape)) {
            throw new IllegalArgumentException("PrimaryCaps expects images [batch, " + inputShape[0] + ", " + inputShape[1] + ", "
                    + inputShape[2] + "] (NCHW) but got " + Arrays.toString(input.shape())
                    + ". Feed data of the configured InputType, or rebuild the configuration for this input size.");
        }
        super.prepareInput(training, workspaceMgr);
    }

    /**
     * View of a convolution output {@code [batch, C·D, H, W]} (from {@link #createTensor}, channels-last memory
     * {@code [batch, H, W, C·D]}) as {@code [batch, H·W, C, D]}: channel c·D + d is unit d of capsule channel c.
     */
    private INDArray byPositionAndChannel(INDArray z) {
        return memory(z).reshape('c', true, z.size(0), positions, capsuleChannels, capsuleDimension);   // a view: written through
    }

    /** Capsules {@code [batch, C·H·W, D]} as {@code [batch, C, H·W, D]} (capsule index (c·H + y)·W + x). */
    private INDArray byChannelAndPosition(INDArray s) {
        return s.reshape('c', true, s.size(0), capsuleChannels, positions, capsuleDimension);
    }
}
