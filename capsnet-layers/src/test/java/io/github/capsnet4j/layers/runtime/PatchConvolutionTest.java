package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.deeplearning4j.nn.conf.CNN2DFormat;
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

/**
 * {@link PatchConvolution} against libnd4j's {@code conv2d} and {@code conv2d_bp} (NHWC, so that the op's tensors are
 * the patch path's memory), in double precision, with a patch budget of two examples: five examples make three groups,
 * the last one partial, so every group's rows and the summed weight gradient are checked.
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
            "same even kernel,     2, 2, 1, 1, 0, 0, 1, 1, Same,     5, 5"})
    void sameAsConv2dOps(String name, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, String modeName,
                         int height, int width) {
        int[] kernel = {kH, kW};
        int[] stride = {sH, sW};
        int[] padding = {pH, pW};
        int[] dilation = {dH, dW};
        ConvolutionMode mode = ConvolutionMode.valueOf(modeName);
        Nd4j.getRandom().setSeed(3);
        INDArray image = Nd4j.rand(DataType.DOUBLE, BATCH, height, width, CHANNELS).subi(0.5);
        INDArray weights = Nd4j.rand(DataType.DOUBLE, FILTERS, CHANNELS, kH, kW).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.DOUBLE, FILTERS);
        int[] outputSize = ConvolutionUtils.getOutputSize(image, kernel, stride, padding, mode, dilation, CNN2DFormat.NHWC);
        long positions = (long) outputSize[0] * outputSize[1];
        long twoExamples = 2 * positions * CHANNELS * kH * kW * Double.BYTES;
        PatchConvolution patches = new PatchConvolution(kernel, stride, padding, dilation, mode, CHANNELS, FILTERS,
                DataType.DOUBLE, twoExamples);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

        Conv2DConfig config = Conv2DConfig.builder().kH(kH).kW(kW).sH(sH).sW(sW).pH(pH).pW(pW).dH(dH).dW(dW)
                .paddingMode(mode == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NHWC).weightsFormat(WeightsFormat.OIYX).build();
        INDArray expectedZ = Nd4j.create(DataType.DOUBLE, BATCH, outputSize[0], outputSize[1], FILTERS);
        Nd4j.exec(new Conv2D(new INDArray[]{image, weights, bias}, new INDArray[]{expectedZ}, config));
        INDArray z = Nd4j.create(DataType.DOUBLE, expectedZ.shape());
        patches.forward(image, weights, bias, z, ArrayType.FF_WORKING_MEM, workspaces);
        assertClose(name + " z", expectedZ, z, DataType.DOUBLE);

        INDArray gradZ = Nd4j.rand(DataType.DOUBLE, expectedZ.shape()).subi(0.5);
        INDArray expectedGradImage = Nd4j.create(DataType.DOUBLE, image.shape());
        INDArray expectedGradWeights = Nd4j.create(DataType.DOUBLE, weights.shape());
        INDArray expectedGradBias = Nd4j.create(DataType.DOUBLE, bias.shape());
        int[] arguments = Arrays.stream(new Conv2D(new INDArray[]{image, weights, bias}, null, config).iArgs())
                .mapToInt(Math::toIntExact).toArray();
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(arguments)
                .addInputs(image, weights, bias, gradZ)
                .addOutputs(expectedGradImage, expectedGradWeights, expectedGradBias).build());

        INDArray gradWeights = Nd4j.create(DataType.DOUBLE, weights.shape());
        INDArray gradBias = Nd4j.create(DataType.DOUBLE, bias.shape());
        patches.weightGradient(image, gradZ, gradWeights, gradBias, workspaces);
        assertClose(name + " ∂L/∂W", expectedGradWeights, gradWeights, DataType.DOUBLE);
        assertClose(name + " ∂L/∂b", expectedGradBias, gradBias, DataType.DOUBLE);

        INDArray gradImage = Nd4j.valueArrayOf(image.shape(), Double.NaN, DataType.DOUBLE);   // every element is written
        patches.inputGradient(gradZ, false, weights, gradImage, workspaces);
        assertClose(name + " ∂L/∂input", expectedGradImage, gradImage, DataType.DOUBLE);
    }
}
