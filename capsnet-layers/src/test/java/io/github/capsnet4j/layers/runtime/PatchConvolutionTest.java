package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static io.github.capsnet4j.testing.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PatchConvolution} in FLOAT and DOUBLE against libnd4j's {@code conv2d} and {@code conv2d_bp} in double
 * precision (NHWC, so that the op's tensors are the patch path's memory), with a patch budget of two examples: five
 * examples make three groups, the last one partial, so every group's rows and the summed weight gradient are checked.
 * In FLOAT the input gradient's {@code deconv2d} runs oneDNN's kernel, in DOUBLE libnd4j's own.
 */
@ExtendWith(DoublePrecision.class)
class PatchConvolutionTest {

    private static final int BATCH = 5;
    private static final int CHANNELS = 4;
    private static final int FILTERS = 3;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "valid stride 2,       3, 3, 2, 2, 0, 0, 1, 1, Truncate, 7, 7",
            "valid stride 2x1,     3, 2, 2, 1, 0, 0, 1, 1, Truncate, 8, 6",
            "padded,               3, 3, 2, 2, 1, 2, 1, 1, Truncate, 7, 7",
            "same dilated,         3, 3, 2, 2, 0, 0, 2, 2, Same,     7, 8",
            "same even kernel,     2, 2, 1, 1, 0, 0, 1, 1, Same,     5, 5",
            "patch in the padding, 1, 1, 9, 9, 3, 3, 1, 1, Truncate, 2, 2"})
    void sameAsConv2dOps(String name, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, String modeName,
                         int height, int width) {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            check(name + " " + type, type, new int[]{kH, kW}, new int[]{sH, sW}, new int[]{pH, pW}, new int[]{dH, dW},
                    ConvolutionMode.valueOf(modeName), height, width);
        }
    }

    /**
     * Same mode whose stride reaches past the kernel's extent asks for negative padding: libnd4j's conv2d then starts
     * inside the image; the patch path does not cover that (ConvolutionLayer keeps conv2d).
     */
    @Test
    void sameModeWithNegativePaddingIsNotCovered() {
        PatchConvolution patches = new PatchConvolution(new int[]{1, 1}, new int[]{4, 4}, new int[]{0, 0}, new int[]{1, 1},
                ConvolutionMode.Same, CHANNELS, FILTERS, DataType.FLOAT, PatchConvolution.PATCH_BYTES);
        INDArray image = Nd4j.create(DataType.FLOAT, 1, 11, 12, CHANNELS);  // output 3×3: extent 9 < 11 rows, 9 < 12 columns
        assertFalse(patches.covers(image, Nd4j.create(DataType.FLOAT, 1, 3, 3, FILTERS), CNN2DFormat.NHWC));
        INDArray exact = Nd4j.create(DataType.FLOAT, 1, CHANNELS, 9, 9);    // extent 9 = 9: no negative padding
        assertTrue(patches.covers(exact, Nd4j.create(DataType.FLOAT, 1, FILTERS, 3, 3), CNN2DFormat.NCHW));
    }

    private static void check(String name, DataType type, int[] kernel, int[] stride, int[] padding,
                              int[] dilation, ConvolutionMode mode, int height, int width) {
        Nd4j.getRandom().setSeed(3);
        INDArray image = Nd4j.rand(DataType.DOUBLE, BATCH, height, width, CHANNELS).subi(0.5);
        INDArray weights = Nd4j.rand(DataType.DOUBLE, FILTERS, CHANNELS, kernel[0], kernel[1]).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.DOUBLE, FILTERS);
        int[] outputSize = ConvolutionUtils.getOutputSize(image, kernel, stride, padding, mode, dilation, CNN2DFormat.NHWC);
        long positions = (long) outputSize[0] * outputSize[1];
        long twoExamples = 2 * positions * CHANNELS * kernel[0] * kernel[1] * type.width();
        PatchConvolution patches = new PatchConvolution(kernel, stride, padding, dilation, mode, CHANNELS, FILTERS, type,
                twoExamples);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

        // the reference, in double precision
        Conv2DConfig config = Conv2DConfig.builder().kH(kernel[0]).kW(kernel[1]).sH(stride[0]).sW(stride[1])
                .pH(padding[0]).pW(padding[1]).dH(dilation[0]).dW(dilation[1])
                .paddingMode(mode == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.OIYX).build();
        INDArray expectedZ = Nd4j.create(DataType.DOUBLE, BATCH, outputSize[0], outputSize[1], FILTERS);
        Nd4j.exec(new Conv2D(new INDArray[]{image, weights, bias}, new INDArray[]{expectedZ}, config));
        INDArray gradZ = Nd4j.rand(DataType.DOUBLE, expectedZ.shape()).subi(0.5);
        INDArray expectedGradImage = Nd4j.create(DataType.DOUBLE, image.shape());
        INDArray expectedGradWeights = Nd4j.create(DataType.DOUBLE, weights.shape());
        INDArray expectedGradBias = Nd4j.create(DataType.DOUBLE, bias.shape());
        int[] arguments = Arrays.stream(new Conv2D(new INDArray[]{image, weights, bias}, null, config).iArgs())
                .mapToInt(Math::toIntExact).toArray();
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(arguments)
                .addInputs(image, weights, bias, gradZ)
                .addOutputs(expectedGradImage, expectedGradWeights, expectedGradBias).build());

        // the patch path, in the given type
        INDArray typedImage = image.castTo(type);
        INDArray typedWeights = weights.castTo(type);
        INDArray typedGradZ = gradZ.castTo(type);
        INDArray z = Nd4j.valueArrayOf(expectedZ.shape(), Double.NaN, type);              // every element is written
        patches.forward(typedImage, typedWeights, bias.castTo(type), z, ArrayType.FF_WORKING_MEM, workspaces);
        assertClose(name + " z", expectedZ, z, type);

        INDArray gradWeights = Nd4j.valueArrayOf(weights.shape(), Double.NaN, type);
        INDArray gradBias = Nd4j.valueArrayOf(bias.shape(), Double.NaN, type);
        patches.weightGradient(typedImage, typedGradZ, gradWeights, gradBias, workspaces);
        assertClose(name + " ∂L/∂W", expectedGradWeights, gradWeights, type);
        assertClose(name + " ∂L/∂b", expectedGradBias, gradBias, type);

        INDArray gradImage = Nd4j.valueArrayOf(image.shape(), Double.NaN, type);
        patches.inputGradient(typedGradZ, typedWeights, gradImage, workspaces);
        assertClose(name + " ∂L/∂input", expectedGradImage, gradImage, type);
    }
}
