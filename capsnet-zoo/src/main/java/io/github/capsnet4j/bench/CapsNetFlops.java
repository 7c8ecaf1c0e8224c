package io.github.capsnet4j.bench;

/**
 * Floating-point operations per image of the paper's MNIST CapsNet, computed from its layer shapes; a
 * multiply-add counts as 2 FLOP. The forward pass is the sum of
 *
 * <pre>
 *   conv1        2 · 20·20·256 · 9·9·1                    =  16,588,800   (28−9+1 = 20)
 *   primary conv 2 · 6·6·256 · 9·9·256                    = 382,205,952   ((20−9)/2+1 = 6; 32 capsules × 8 D = 256)
 *   û = W u      2 · 1152·10 · 16·8                       =   2,949,120   (1152 = 6·6·32 input capsules)
 *   routing      r · (2 · 1152·10·16  +  2 · 1152·10·16)  =   2,211,840   (r = 3: s_j = Σ c_ij û, agreement v·û)
 *   decoder      2 · (160·512 + 512·1024 + 1024·784)     =   2,818,048
 *   ─────────────────────────────────────────────────────────────────────
 *   forward                                                 406,773,760  ≈ 0.41 GFLOP
 * </pre>
 *
 * ignoring biases, activations, squash, softmax and the losses (each under 0.1 %). A training step
 * (forward, backward, Adam) counts 3 × forward ≈ 1.22 GFLOP per image: the backward pass computes a
 * gradient for each layer's input and one for its weights, each costing about a forward pass; Adam's
 * update is per parameter, not per image, and is left out. Inference is 1 × forward.
 */
public final class CapsNetFlops {

    private static final int IMAGE = 28;
    private static final int KERNEL = 9;
    private static final int CONV_CHANNELS = 256;
    private static final int PRIMARY_CHANNELS = 32;
    private static final int PRIMARY_DIMENSION = 8;
    private static final int PRIMARY_STRIDE = 2;
    private static final int CLASSES = 10;
    private static final int DIGIT_DIMENSION = 16;
    private static final int ROUTING_ITERATIONS = 3;
    private static final int[] DECODER = {CLASSES * DIGIT_DIMENSION, 512, 1024, IMAGE * IMAGE};

    private CapsNetFlops() {
    }

    /** FLOP of one image's forward pass (the table in the class comment). */
    public static long forwardPerImage() {
        int conv1Size = IMAGE - KERNEL + 1;
        int primarySize = (conv1Size - KERNEL) / PRIMARY_STRIDE + 1;
        int primaryConvChannels = PRIMARY_CHANNELS * PRIMARY_DIMENSION;
        long inputCapsules = (long) primarySize * primarySize * PRIMARY_CHANNELS;
        long flops = convolution(conv1Size, CONV_CHANNELS, 1)
                + convolution(primarySize, primaryConvChannels, CONV_CHANNELS)
                + 2L * inputCapsules * CLASSES * DIGIT_DIMENSION * PRIMARY_DIMENSION
                + ROUTING_ITERATIONS * 2 * (2L * inputCapsules * CLASSES * DIGIT_DIMENSION);
        for (int layer = 1; layer < DECODER.length; layer++) {
            flops += 2L * DECODER[layer - 1] * DECODER[layer];
        }
        return flops;
    }

    /** FLOP of one image's training step: 3 × {@link #forwardPerImage()}. */
    public static long trainPerImage() {
        return 3 * forwardPerImage();
    }

    /** FLOP per image of a step in the given mode, {@code "train"} or {@code "infer"}. */
    static long perImage(String mode) {
        if (BenchResults.TRAIN.equals(mode)) {
            return trainPerImage();
        }
        if (BenchResults.INFER.equals(mode)) {
            return forwardPerImage();
        }
        throw new IllegalArgumentException("unknown mode " + mode);
    }

    /** A square {@code KERNEL×KERNEL} convolution with a square output: 2 · size² · outChannels · KERNEL² · inChannels. */
    private static long convolution(int outputSize, int outputChannels, int inputChannels) {
        return 2L * outputSize * outputSize * outputChannels * KERNEL * KERNEL * inputChannels;
    }
}
