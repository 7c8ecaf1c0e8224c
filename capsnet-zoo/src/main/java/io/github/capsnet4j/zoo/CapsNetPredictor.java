package io.github.capsnet4j.zoo;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.zoo.PretrainedType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inference with a trained CapsNet, without wiring graph inputs by hand: images in, {@link Prediction}s out
 * (class, capsule lengths, the predicted digit capsule and its reconstruction; paper sections 2 and 4.1), and
 * {@link #reconstructFromCapsule} to decode any capsule, e.g. a perturbed one as in the paper's Figure 4.
 *
 * <p>Works with any {@link CapsNetMnist}-built graph, with or without decoder: the pretrained network
 * ({@link #pretrained()}), a saved one ({@link #load(Path)}) or one in memory. Images are MNIST-style: one grey
 * channel in 0..1, a white digit on a black background; {@link #predict(DigitImages.Inversion, BufferedImage...)}
 * converts ordinary pictures. Like the {@code ComputationGraph} it wraps, an instance is not thread-safe.
 */
public final class CapsNetPredictor {

    /** Images per forward pass: routing keeps every prediction vector û of a batch in memory. */
    private static final int BATCH_SIZE = 64;

    private final ComputationGraph graph;
    private final int classes;
    private final int capsuleDimension;
    private final int channels;
    private final int height;
    private final int width;
    private final boolean decoder;

    /**
     * Wraps a CapsNet graph that keeps the {@link CapsNetGraph} contract, as {@link CapsNetMnist} builds it
     * (a {@value CapsNetGraph#CONVOLUTION} convolution, PrimaryCaps {@value CapsNetGraph#PRIMARY_CAPS}, DigitCaps
     * {@value CapsNetGraph#DIGIT_CAPS}, an output {@value CapsNetGraph#LENGTHS}).
     *
     * @throws IllegalArgumentException if it does not
     */
    public CapsNetPredictor(ComputationGraph graph) {
        CapsNetGraph.check(graph);
        this.graph = graph;
        this.classes = CapsNetGraph.numClasses(graph);
        this.capsuleDimension = CapsNetGraph.capsuleDimension(graph);
        this.decoder = CapsNetGraph.hasDecoder(graph);
        int[] image = CapsNetGraph.imageShape(graph);
        this.channels = image[0];
        this.height = image[1];
        this.width = image[2];
    }

    /** The pretrained MNIST CapsNet shipped in this jar (see {@link PretrainedWeights}). */
    public static CapsNetPredictor pretrained() throws IOException {
        return new CapsNetPredictor(CapsNetMnist.builder().build().initPretrained(PretrainedType.MNIST));
    }

    /** A CapsNet saved with {@code ModelSerializer}, e.g. a training run's {@code model.zip} (see {@link ModelFiles}). */
    public static CapsNetPredictor load(Path modelFile) throws IOException {
        return new CapsNetPredictor(ModelFiles.load(modelFile));
    }

    /**
     * Predictions for images {@code [n, 1, 28, 28]} or flattened {@code [n, 784]} (generally
     * {@code [n, channels, height, width]} or {@code [n, channels·height·width]}) with values in 0..1,
     * white digit on black.
     *
     * @throws IllegalArgumentException for another shape or values outside 0..1; the message says how to fix it
     */
    public List<Prediction> predict(INDArray images) {
        INDArray input = checkedImages(images);
        List<Prediction> predictions = new ArrayList<>();
        for (long start = 0; start < input.size(0); start += BATCH_SIZE) {
            INDArray batch = input.get(NDArrayIndex.interval(start, Math.min(start + BATCH_SIZE, input.size(0))));
            predictions.addAll(predictBatch(batch));
        }
        return predictions;
    }

    /** Predictions for ordinary pictures, auto-inverting dark-on-light ones; see {@link DigitImages}. */
    public List<Prediction> predict(BufferedImage... images) {
        return predict(DigitImages.Inversion.AUTO, images);
    }

    /** Predictions for ordinary pictures of any size and colour, converted by {@link DigitImages} with {@code inversion}. */
    public List<Prediction> predict(DigitImages.Inversion inversion, BufferedImage... images) {
        if (channels != 1) {
            throw new IllegalStateException("Pictures are converted to one grey channel, but this network takes " + channels
                    + " channels; pass an INDArray [n, " + channels + ", " + height + ", " + width + "] to predict(INDArray) instead.");
        }
        return predict(DigitImages.toArray(height, width, inversion, images));
    }

    private List<Prediction> predictBatch(INDArray images) {
        Map<String, INDArray> activations = graph.feedForward(CapsNetGraph.inferenceInputs(graph, images), false);
        INDArray lengths = activations.get(CapsNetGraph.LENGTHS);
        INDArray capsules = activations.get(CapsNetGraph.DIGIT_CAPS);              // [n, classes, dimension]
        INDArray reconstructions = decoder ? activations.get(CapsNetGraph.RECONSTRUCTION) : null;
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            INDArray probabilities = lengths.getRow(i).dup();
            int predicted = probabilities.argMax().getInt(0);
            INDArray capsule = capsules.get(NDArrayIndex.point(i), NDArrayIndex.point(predicted), NDArrayIndex.all()).dup();
            INDArray reconstruction = reconstructions == null ? null : reconstructions.getRow(i).dup();
            predictions.add(new Prediction(predicted, probabilities, capsule, reconstruction));
        }
        return predictions;
    }

    /**
     * The decoder's picture {@code [height·width]} in 0..1 for {@code capsule} ({@code [capsuleDimension]}) taken
     * as class {@code digitClass}'s capsule, all other capsules masked to zero (paper section 4.1). Perturbing
     * one dimension of a capsule and decoding it shows what that dimension encodes (Figure 4).
     *
     * @throws IllegalStateException    if the network has no decoder
     * @throws IllegalArgumentException for a capsule of another size or a class out of range
     */
    public INDArray reconstructFromCapsule(INDArray capsule, int digitClass) {
        if (capsule.length() != capsuleDimension) {
            throw new IllegalArgumentException("A capsule has " + capsuleDimension + " values, got shape "
                    + Arrays.toString(capsule.shape()) + "; pass Prediction.capsule(), possibly changed.");
        }
        return reconstructFromCapsules(capsule.reshape(1, capsuleDimension), digitClass).getRow(0);
    }

    /** {@link #reconstructFromCapsule} for many capsules {@code [n, capsuleDimension]} of one class: {@code [n, height·width]}. */
    public INDArray reconstructFromCapsules(INDArray capsules, int digitClass) {
        if (!decoder) {
            throw new IllegalStateException("This CapsNet has no decoder, so it cannot reconstruct; use a network trained with the"
                    + " decoder (CapsNetMnist.builder().decoder(true), the default).");
        }
        if (digitClass < 0 || digitClass >= classes) {
            throw new IllegalArgumentException("digitClass must be 0.." + (classes - 1) + ", got " + digitClass);
        }
        if (capsules.rank() != 2 || capsules.size(1) != capsuleDimension) {
            throw new IllegalArgumentException("Expected capsules [n, " + capsuleDimension + "] but got " + Arrays.toString(capsules.shape()));
        }
        long first = (long) digitClass * capsuleDimension;
        INDArray activations = Nd4j.zeros(dataType(), capsules.size(0), (long) classes * capsuleDimension);   // the mask's output
        activations.get(NDArrayIndex.all(), NDArrayIndex.interval(first, first + capsuleDimension)).assign(capsules);
        for (String name : CapsNetGraph.DECODER_LAYERS) {
            GraphVertex vertex = graph.getVertex(name);
            if (vertex == null || !vertex.hasLayer()) {
                throw new IllegalStateException("The decoder has no layer '" + name + "'; reconstructFromCapsule needs the decoder"
                        + " layers " + CapsNetGraph.DECODER_LAYERS + " as CapsNetGraph names them.");
            }
            activations = vertex.getLayer().activate(activations, false, LayerWorkspaceMgr.noWorkspaces());
        }
        return activations;
    }

    /** The images as {@code [n, channels, height, width]} in the network's data type, after checking shape and values. */
    private INDArray checkedImages(INDArray images) {
        long pixels = (long) channels * height * width;
        boolean image4d = images.rank() == 4 && images.size(1) == channels && images.size(2) == height && images.size(3) == width;
        boolean flat = images.rank() == 2 && images.size(1) == pixels;
        if (!image4d && !flat || images.size(0) == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "Expected images of shape [n, %d, %d, %d] or [n, %d] (n >= 1)"
                            + " but got %s. Fix: for a single image add the batch dimension, e.g. image.reshape(1, %d, %d, %d);"
                            + " resize other image sizes to %dx%d first (predict(BufferedImage...) does that).", channels, height, width,
                    pixels, Arrays.toString(images.shape()), channels, height, width, height, width));
        }
        INDArray input = images.castTo(dataType()).reshape(images.size(0), channels, height, width);
        long notNumbers = input.scan(Conditions.isNan()).longValue() + input.scan(Conditions.isInfinite()).longValue();
        if (notNumbers > 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%d pixel values are NaN or infinite, so the images"
                    + " cannot be classified. Fix: find where they come from (e.g. a division by zero when normalising),"
                    + " or replace them, e.g. with 0 (black).", notNumbers));
        }
        double min = input.minNumber().doubleValue();
        double max = input.maxNumber().doubleValue();
        if (min < 0 || max > 1) {
            String fix = min >= 0 && max <= 255 ? "divide 0..255 pixel values by 255, e.g. images.div(255)" : "rescale them to 0..1";
            throw new IllegalArgumentException(String.format(Locale.ROOT, "Pixel values must lie in 0..1 (0 = black background,"
                    + " 1 = white digit, as in MNIST) but range from %s to %s. Fix: %s.", min, max, fix));
        }
        return input;
    }

    private DataType dataType() {
        return graph.params().dataType();
    }

    /** The wrapped network. */
    public ComputationGraph graph() {
        return graph;
    }

    public boolean hasDecoder() {
        return decoder;
    }

    public int numClasses() {
        return classes;
    }

    /** Dimension of a digit capsule (16 in the paper). */
    public int capsuleDimension() {
        return capsuleDimension;
    }

    public int imageHeight() {
        return height;
    }

    public int imageWidth() {
        return width;
    }

    public int imageChannels() {
        return channels;
    }
}
