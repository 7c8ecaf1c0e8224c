package io.github.capsnet4j.layers.runtime;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A convolution as matrix products over image patches (im2row), on images in channels-last memory
 * {@code [batch, h, w, c]}: the path of {@link ConvolutionLayer} for patches larger than the output map (PrimaryCaps'
 * 9×9×256 patches on 6×6 positions: one product of [batch·36, 20736] by [20736, 256] runs near the machine's matmul
 * peak, oneDNN's direct kernels at half of it), and for the weight gradient without the input gradient:
 *
 * <pre>
 *   padded[n, i + pt, j + pl, c] = input[n, i, j, c]      (zero elsewhere; no copy without padding)
 *   patches[(n, y, x), (ky, kx, c)] = padded[n, y·sH + ky·dH, x·sW + kx·dW, c]      (a strided view of the image, copied)
 *   forward:   z[(n, y, x), o] = patches · W'ᵀ + b,            W'[o, (ky, kx, c)] = W[o, c, ky, kx]
 *   backward:  ∂L/∂W' = ∂L/∂zᵀ · patches,   ∂L/∂b = Σ_(n, y, x) ∂L/∂z
 *              ∂L/∂padded = deconv2d(∂L/∂z; W)               (the transposed convolution: oneDNN's input-gradient kernel)
 *              ∂L/∂input = ∂L/∂padded without the padding
 * </pre>
 *
 * {@code z} and ∂L/∂z are channels-last too ({@code [(n, y, x), o]} is their memory), so no product needs a transpose
 * copy. Patches are copied a few examples at a time ({@link #PATCH_BYTES} at most), so they stay small at any batch.
 */
final class PatchConvolution {

    /** The most memory the patches of one group of examples take. */
    static final long PATCH_BYTES = 32L << 20;

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final ConvolutionMode mode;
    private final long inputChannels;
    private final long outputChannels;
    private final DataType dataType;
    private final long patchBytes;                                           // PATCH_BYTES, or less in tests

    PatchConvolution(int[] kernel, int[] stride, int[] padding, int[] dilation, ConvolutionMode mode, long inputChannels,
                     long outputChannels, DataType dataType, long patchBytes) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.mode = mode;
        this.inputChannels = inputChannels;
        this.outputChannels = outputChannels;
        this.dataType = dataType;
        this.patchBytes = patchBytes;
    }

    /**
     * Whether this class computes the convolution of {@code x} to {@code z} (tensors of the given format): not in Same
     * mode when the stride reaches past the kernel's extent (the padding Same mode asks for is negative there: libnd4j's
     * {@code conv2d} then starts inside the image, DL4J's own layer refuses the geometry; {@code conv2d} keeps it).
     */
    boolean covers(INDArray x, INDArray z, CNN2DFormat format) {
        int h = format == CNN2DFormat.NCHW ? 2 : 1;                          // the height axis; width follows it
        return mode != ConvolutionMode.Same
                || (extent(z.size(h), 0) >= x.size(h) && extent(z.size(h + 1), 1) >= x.size(h + 1));
    }

    /** The rows (axis 0) or columns (axis 1) of the padded image that {@code outputs} positions read. */
    private long extent(long outputs, int axis) {
        return (outputs - 1) * stride[axis] + (kernel[axis] - 1L) * dilation[axis] + 1;
    }

    /** c·ky·kx: the size of one patch. */
    long patchSize() {
        return inputChannels * kernel[0] * kernel[1];
    }

    /**
     * Writes {@code z} into {@code zMemory [batch, y, x, o]} (C-ordered) from {@code image [batch, h, w, c]} (C-ordered),
     * the weights {@code W [o, c, ky, kx]} and the bias (null without); scratch arrays in {@code scratch}.
     */
    void forward(INDArray image, INDArray weights, INDArray bias, INDArray zMemory, ArrayType scratch,
                 LayerWorkspaceMgr workspaceMgr) {
        Geometry g = new Geometry(image, zMemory);
        INDArray source = padded(image, g, scratch, workspaceMgr);
        INDArray patchWeights = workspaceMgr.dup(scratch, weights.permute(0, 2, 3, 1), 'c')   // W' [o, ky, kx, c]
                .reshape('c', outputChannels, patchSize());
        INDArray zRows = zMemory.reshape('c', g.batch * g.positions, outputChannels);
        INDArray buffer = patchBuffer(g, scratch, workspaceMgr);
        for (long from = 0; from < g.batch; from += g.examplesPerGroup) {
            long to = Math.min(g.batch, from + g.examplesPerGroup);
            Nd4j.gemm(patches(source, g, from, to, buffer), patchWeights, rows(zRows, g, from, to), false, true, 1.0, 0.0);
        }
        if (bias != null) {
            zRows.addiRowVector(bias);
        }
    }

    /**
     * Writes ∂L/∂W and ∂L/∂b (when {@code gradBias} is not null) into the gradient views, from the image and
     * {@code gradZMemory [batch, y, x, o]} (C-ordered).
     */
    void weightGradient(INDArray image, INDArray gradZMemory, INDArray gradWeights, INDArray gradBias,
                        LayerWorkspaceMgr workspaceMgr) {
        Geometry g = new Geometry(image, gradZMemory);
        INDArray source = padded(image, g, ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray gradRows = gradZMemory.reshape('c', g.batch * g.positions, outputChannels);
        INDArray gradPatchWeights = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{outputChannels, patchSize()}, 'c');                // ∂L/∂W' [o, (ky, kx, c)]
        INDArray buffer = patchBuffer(g, ArrayType.BP_WORKING_MEM, workspaceMgr);
        for (long from = 0; from < g.batch; from += g.examplesPerGroup) {
            long to = Math.min(g.batch, from + g.examplesPerGroup);
            Nd4j.gemm(rows(gradRows, g, from, to), patches(source, g, from, to, buffer), gradPatchWeights, true, false, 1.0,
                    from == 0 ? 0.0 : 1.0);                                  // Σ over the groups of examples
        }
        gradWeights.assign(gradPatchWeights.reshape('c', outputChannels, kernel[0], kernel[1], inputChannels)
                .permute(0, 3, 1, 2));
        if (gradBias != null) {
            sumOfRows(gradRows, gradBias.reshape('c', true, 1, outputChannels), workspaceMgr);
        }
    }

    /**
     * Writes ∂L/∂input into {@code gradImage [batch, h, w, c]} (C-ordered) from {@code gradZMemory [batch, y, x, o]}
     * (C-ordered) and W.
     */
    void inputGradient(INDArray gradZMemory, INDArray weights, INDArray gradImage, LayerWorkspaceMgr workspaceMgr) {
        Geometry g = new Geometry(gradImage, gradZMemory);
        boolean direct = g.unpadded();                                       // write into gradImage itself
        INDArray gradPadded = direct
                ? region(gradImage, 0, 0, g.paddedHeight, g.paddedWidth)
                : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{g.batch, g.paddedHeight, g.paddedWidth, inputChannels}, 'c');
        // deconv2d: kernel, stride, no padding, dilation, valid mode, NCHW, weights [iC, oC, kH, kW] (conv's W); given
        // NCHW views of the channels-last memory (oneDNN honours their strides; in NHWC form it ignored an output view's)
        Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                .addInputs(ChannelsLast.tensor(gradZMemory), weights)
                .addOutputs(ChannelsLast.tensor(gradPadded))
                .addIntegerArguments(kernel[0], kernel[1], stride[0], stride[1], 0, 0, dilation[0], dilation[1], 0, 0, 1)
                .build());
        if (direct) {
            zeroBeyond(gradImage, g.paddedHeight, g.paddedWidth);            // rows and columns no patch reads
        } else {
            gradImage.assign(0.0);
            if (g.imageRows > 0 && g.imageColumns > 0) {
                region(gradImage, 0, 0, g.imageRows, g.imageColumns).assign(region(gradPadded, g.top, g.left, g.imageRows,
                        g.imageColumns));
            }
        }
    }

    /** The image with its padding: a zero-padded copy, or the image itself when the convolution pads nothing. */
    private INDArray padded(INDArray image, Geometry g, ArrayType scratch, LayerWorkspaceMgr workspaceMgr) {
        if (g.unpadded()) {
            return image;
        }
        INDArray padded = workspaceMgr.create(scratch, dataType,
                new long[]{g.batch, g.paddedHeight, g.paddedWidth, inputChannels}, 'c');   // zeros
        if (g.imageRows > 0 && g.imageColumns > 0) {
            region(padded, g.top, g.left, g.imageRows, g.imageColumns).assign(region(image, 0, 0, g.imageRows, g.imageColumns));
        }
        return padded;
    }

    /** Room for the patches of one group of examples, {@code [examples·y·x, (ky, kx, c)]}. */
    private INDArray patchBuffer(Geometry g, ArrayType scratch, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.createUninitialized(scratch, dataType,
                new long[]{Math.min(g.batch, g.examplesPerGroup) * g.positions, patchSize()}, 'c');
    }

    /**
     * The patches of examples {@code [from, to)}, {@code [(n, y, x), (ky, kx, c)]}, copied into the first rows of
     * {@code buffer} from a strided view of {@code source} (C-ordered {@code [batch, h, w, c]}): with kx and c merged into
     * one contiguous axis when the kernel is not dilated across (the copy's inner loop runs over kW·c elements).
     */
    private INDArray patches(INDArray source, Geometry g, long from, long to, INDArray buffer) {
        long width = source.size(2);
        long row = width * inputChannels;                                    // elements per image row
        long[] shape;
        long[] strides;
        if (dilation[1] == 1) {
            shape = new long[]{to - from, g.outputHeight, g.outputWidth, kernel[0], kernel[1] * inputChannels};
            strides = new long[]{source.stride(0), stride[0] * row, stride[1] * inputChannels, dilation[0] * row, 1};
        } else {
            shape = new long[]{to - from, g.outputHeight, g.outputWidth, kernel[0], kernel[1], inputChannels};
            strides = new long[]{source.stride(0), stride[0] * row, stride[1] * inputChannels, dilation[0] * row,
                    dilation[1] * inputChannels, 1};
        }
        // overlapping windows over the image's memory: a read-only view no indexing can express
        INDArray windows = Nd4j.create(source.data(), shape, strides, source.offset() + from * source.stride(0), 'c');
        INDArray rows = buffer.get(NDArrayIndex.interval(0, (to - from) * g.positions), NDArrayIndex.all());
        rows.reshape('c', shape).assign(windows);
        return rows;
    }

    /** Rows {@code [(n, y, x), ·]} of examples {@code [from, to)}: a contiguous view. */
    private static INDArray rows(INDArray matrix, Geometry g, long from, long to) {
        return matrix.get(NDArrayIndex.interval(from * g.positions, to * g.positions), NDArrayIndex.all());
    }

    /** The view {@code image[:, top : top + rows, left : left + columns, :]}. */
    private static INDArray region(INDArray image, long top, long left, long rows, long columns) {
        return image.get(NDArrayIndex.all(), NDArrayIndex.interval(top, top + rows), NDArrayIndex.interval(left, left + columns),
                NDArrayIndex.all());
    }

    /** Zeroes the rows from {@code height} and the columns from {@code width} on. */
    private static void zeroBeyond(INDArray image, long height, long width) {
        INDArrayIndex all = NDArrayIndex.all();
        if (height < image.size(1)) {
            image.get(all, NDArrayIndex.interval(height, image.size(1)), all, all).assign(0.0);
        }
        if (width < image.size(2)) {
            image.get(all, all, NDArrayIndex.interval(width, image.size(2)), all).assign(0.0);
        }
    }

    /** Writes the sum of the rows of {@code matrix} into the row {@code sum}, as {@code [1 … 1] · matrix}: column sums are slow. */
    static void sumOfRows(INDArray matrix, INDArray sum, LayerWorkspaceMgr workspaceMgr) {
        INDArray ones = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, matrix.dataType(),
                new long[]{1, matrix.size(0)}, 'c');
        ones.assign(1.0).mmul(matrix, sum);
    }

    /** Sizes of one call: the image, the output map, the padding and the groups of examples. */
    private final class Geometry {
        final long batch;
        final long height;
        final long width;
        final long outputHeight;
        final long outputWidth;
        final long positions;
        final long top;                                                      // padding above and left of the image
        final long left;
        final long paddedHeight;                                             // the extent the patches cover
        final long paddedWidth;
        final long imageRows;                                                // rows and columns of the image within that extent
        final long imageColumns;
        final long examplesPerGroup;

        Geometry(INDArray image, INDArray outputMemory) {
            batch = image.size(0);
            height = image.size(1);
            width = image.size(2);
            outputHeight = outputMemory.size(1);
            outputWidth = outputMemory.size(2);
            positions = outputHeight * outputWidth;
            paddedHeight = extent(outputHeight, 0);
            paddedWidth = extent(outputWidth, 1);
            // Same mode: half the padding the output needs on top and left, the rest bottom and right (as libnd4j's
            // conv2d; never negative, see covers); otherwise the configured padding on every side
            top = mode == ConvolutionMode.Same ? (paddedHeight - height) / 2 : padding[0];
            left = mode == ConvolutionMode.Same ? (paddedWidth - width) / 2 : padding[1];
            imageRows = Math.max(0, Math.min(height, paddedHeight - top));
            imageColumns = Math.max(0, Math.min(width, paddedWidth - left));
            long bytesPerExample = positions * patchSize() * dataType.width();
            examplesPerGroup = Math.max(1, patchBytes / bytesPerExample);
        }

        /** Whether the patches lie within the image (no padding to add). */
        boolean unpadded() {
            return top == 0 && left == 0 && paddedHeight <= height && paddedWidth <= width;
        }
    }
}
