package io.github.capsnet4j.zoo;

import io.github.capsnet4j.layers.CapsuleMask;
import io.github.capsnet4j.layers.Dense;
import io.github.capsnet4j.layers.DigitCaps;
import io.github.capsnet4j.layers.Output;
import io.github.capsnet4j.layers.PrimaryCaps;
import io.github.capsnet4j.loss.LossMargin;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

import java.util.List;

/**
 * The contract of a CapsNet {@code ComputationGraph} (paper Figures 1 and 2): which vertex is which, the
 * decoder, and the arrays the graph takes in training and at inference. {@link CapsNetMnist} builds graphs
 * that keep it; {@link CapsNetPredictor}, {@link CapsNetEvaluator}, the trainer and the benchmark read graphs
 * through it, so a graph built by hand with these names works with all of them.
 *
 * <pre>
 *   {@value #IMAGE} ─ {@value #CONVOLUTION} ─ {@value #PRIMARY_CAPS} ─ {@value #DIGIT_CAPS} ─ {@value #CAPSULE_LENGTH} ─ {@value #LENGTHS} (margin loss, eq. 4)
 *   {@value #DIGIT_CAPS} + {@value #LABEL} ─ {@value #MASK} ─ {@value #DECODER_HIDDEN_1} ─ {@value #DECODER_HIDDEN_2} ─ {@value #RECONSTRUCTION}
 * </pre>
 *
 * <p>Inputs: {@value #IMAGE} {@code [batch, channels, height, width]} and, with the decoder, {@value #LABEL}
 * {@code [batch, classes]}: the one-hot labels in training (the decoder reconstructs the TRUE class's
 * capsule, paper section 4.1), all zeros at inference (the mask then picks the longest capsule, i.e. the
 * prediction). Outputs: {@value #LENGTHS} {@code [batch, classes]} and, with the decoder,
 * {@value #RECONSTRUCTION} {@code [batch, channels·height·width]}, trained against the flattened images.
 */
public final class CapsNetGraph {

    /** Input: the images {@code [batch, channels, height, width]} in 0..1. */
    public static final String IMAGE = "image";
    /** Input of a graph with decoder: what the decoder's mask selects by, {@code [batch, classes]}. */
    public static final String LABEL = "label";
    /** The convolution on the image (paper: 256 channels of 9×9, ReLU). */
    public static final String CONVOLUTION = "conv1";
    /** The primary capsules {@code [batch, capsules, 8]}. */
    public static final String PRIMARY_CAPS = "primarycaps";
    /** The digit capsules {@code [batch, classes, 16]}, one per class, computed by dynamic routing. */
    public static final String DIGIT_CAPS = "digitcaps";
    /** The digit capsules' lengths {@code [batch, classes]}. */
    public static final String CAPSULE_LENGTH = "capsulelength";
    /** Output: the capsule lengths under the margin loss (eq. 4); the longest is the prediction. */
    public static final String LENGTHS = "lengths";
    /** The digit capsules with all but one masked to zero, flattened: the decoder's input. */
    public static final String MASK = "mask";
    /** The decoder's first hidden layer (512 ReLU units). */
    public static final String DECODER_HIDDEN_1 = "decoder1";
    /** The decoder's second hidden layer (1024 ReLU units). */
    public static final String DECODER_HIDDEN_2 = "decoder2";
    /** Output: the decoder's picture {@code [batch, channels·height·width]}, sigmoid, sum of squared errors. */
    public static final String RECONSTRUCTION = "reconstruction";
    /** The decoder's layers after the mask, in order. */
    public static final List<String> DECODER_LAYERS = List.of(DECODER_HIDDEN_1, DECODER_HIDDEN_2, RECONSTRUCTION);
    /** Weight of the reconstruction loss (paper section 4.1). */
    public static final double RECONSTRUCTION_WEIGHT = 0.0005;

    private static final int DECODER_WIDTH_1 = 512;
    private static final int DECODER_WIDTH_2 = 1024;

    private CapsNetGraph() {
    }

    /**
     * Adds the inputs: {@value #IMAGE} and, with the decoder, {@value #LABEL} (one value per class).
     */
    public static GraphBuilder addInputs(GraphBuilder graph, int height, int width, int channels, int classes, boolean decoder) {
        if (decoder) {
            return graph.addInputs(IMAGE, LABEL)
                    .setInputTypes(InputType.convolutional(height, width, channels), InputType.feedForward(classes));
        }
        return graph.addInputs(IMAGE).setInputTypes(InputType.convolutional(height, width, channels));
    }

    /**
     * Adds the {@value #LENGTHS} output: the margin loss (eq. 4) on the {@code numClasses} capsule lengths computed by vertex
     * {@code capsuleLengths}.
     */
    public static GraphBuilder addLengthsOutput(GraphBuilder graph, String capsuleLengths, int numClasses) {
        LossLayer lengths = new LossLayer.Builder().lossFunction(new LossMargin()).activation(Activation.IDENTITY).build();
        lengths.setNOut(numClasses);       // DL4J's LossLayer builder has no nOut; unset, its output type warns "a size of zero"
        return graph.addLayer(LENGTHS, lengths, capsuleLengths);
    }

    /**
     * Adds the paper's decoder (section 4.1, Figure 2) on the digit capsules of vertex {@code digitCapsules}:
     * {@value #MASK} (the capsule of the class {@value #LABEL} names, all others zero), {@value #DECODER_HIDDEN_1}
     * (512, ReLU), {@value #DECODER_HIDDEN_2} (1024, ReLU) and {@value #RECONSTRUCTION} ({@code pixels}, sigmoid),
     * whose loss is the sum of squared errors × {@value #RECONSTRUCTION_WEIGHT}. The fully connected layers are
     * {@link Dense} and {@link Output}: DL4J's {@code DenseLayer} and {@code OutputLayer} with their products by
     * {@code Nd4j.gemm}.
     */
    public static GraphBuilder addDecoder(GraphBuilder graph, String digitCapsules, int pixels) {
        return graph.addVertex(MASK, new CapsuleMask(), digitCapsules, LABEL)
                .addLayer(DECODER_HIDDEN_1, hidden(DECODER_WIDTH_1), MASK)
                .addLayer(DECODER_HIDDEN_2, hidden(DECODER_WIDTH_2), DECODER_HIDDEN_1)
                .addLayer(RECONSTRUCTION, Output.builder(new LossL2(Nd4j.valueArrayOf(new long[]{1, pixels}, RECONSTRUCTION_WEIGHT)))
                        .nOut(pixels).activation(Activation.SIGMOID).build(), DECODER_HIDDEN_2);   // weighted SSE
    }

    /** A {@link Dense} layer (DL4J's builder methods return its {@code DenseLayer} type). */
    private static DenseLayer hidden(int width) {
        return Dense.builder().nOut(width).activation(Activation.RELU).weightInit(WeightInit.RELU).build();
    }

    /**
     * Whether the graph has the decoder: a {@value #LABEL} input and a {@value #RECONSTRUCTION} output.
     *
     * @throws IllegalArgumentException if it has only one of the two
     */
    public static boolean hasDecoder(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        boolean label = conf.getNetworkInputs().contains(LABEL);
        boolean reconstruction = conf.getNetworkOutputs().contains(RECONSTRUCTION);
        if (label != reconstruction) {
            throw new IllegalArgumentException("Not a CapsNet graph: it has " + (label ? "an input '" + LABEL + "' but no output '"
                    + RECONSTRUCTION + "'" : "an output '" + RECONSTRUCTION + "' but no input '" + LABEL + "'") + " (inputs "
                    + conf.getNetworkInputs() + ", outputs " + conf.getNetworkOutputs() + "). Fix: add the decoder with"
                    + " CapsNetGraph.addDecoder, which needs both, or build the network with CapsNetMnist.");
        }
        return label;
    }

    /**
     * The number of classes: the capsules of layer {@value #DIGIT_CAPS} ({@link DigitCaps}, or DL4J's own
     * {@link CapsuleLayer}).
     *
     * @throws IllegalArgumentException if the graph has no such layer
     */
    public static int numClasses(ComputationGraph graph) {
        Layer digitCaps = digitCaps(graph);
        return digitCaps instanceof DigitCaps ? ((DigitCaps) digitCaps).getCapsules() : ((CapsuleLayer) digitCaps).getCapsules();
    }

    /**
     * The dimension of a digit capsule (paper: 16), of layer {@value #DIGIT_CAPS}.
     *
     * @throws IllegalArgumentException if the graph has no such layer
     */
    public static int capsuleDimension(ComputationGraph graph) {
        Layer digitCaps = digitCaps(graph);
        return digitCaps instanceof DigitCaps ? ((DigitCaps) digitCaps).getCapsuleDimension()
                : ((CapsuleLayer) digitCaps).getCapsuleDimensions();
    }

    /** Layer {@value #DIGIT_CAPS}: a {@link DigitCaps} or a {@link CapsuleLayer}. */
    private static Layer digitCaps(ComputationGraph graph) {
        Layer digitCaps = layer(graph, DIGIT_CAPS);
        if (!(digitCaps instanceof DigitCaps) && !(digitCaps instanceof CapsuleLayer)) {
            throw new IllegalArgumentException("Not a CapsNet graph: it has no DigitCaps layer named '" + DIGIT_CAPS + "' (vertices "
                    + graph.getConfiguration().getVertices().keySet() + "). Fix: name the digit capsule layer '" + DIGIT_CAPS
                    + "' (CapsNetGraph.DIGIT_CAPS), as CapsNetMnist does.");
        }
        return digitCaps;
    }

    /**
     * Checks what inference needs: the {@value #LENGTHS} output, the {@value #DIGIT_CAPS} layer, and one input
     * (the images) or two, the second {@value #LABEL} (the arrays are passed in this order).
     *
     * @throws IllegalArgumentException naming what is missing, if the graph is not a CapsNet
     */
    public static void check(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        boolean inputsFit = inputs.size() == 1 || inputs.size() == 2 && inputs.get(1).equals(LABEL);
        if (!conf.getNetworkOutputs().contains(LENGTHS) || !inputsFit) {
            throw new IllegalArgumentException("Not a CapsNet graph: expected the inputs [" + IMAGE + "] or [" + IMAGE + ", " + LABEL
                    + "] and an output '" + LENGTHS + "', but it has inputs " + inputs + " and outputs " + conf.getNetworkOutputs()
                    + ". Fix: name the vertices as CapsNetGraph does, or build the network with CapsNetMnist.");
        }
        hasDecoder(graph);
        numClasses(graph);
    }

    /**
     * The graph's training batch: features {@code [images, labels]} and labels {@code [labels, flattened images]}
     * (the reconstruction target) with the decoder, {@code [images]} and {@code [labels]} without.
     *
     * @param batch images {@code [batch, channels, height, width]} and one-hot labels {@code [batch, classes]}
     */
    public static MultiDataSet trainingBatch(DataSet batch, boolean decoder) {
        INDArray images = batch.getFeatures();
        INDArray labels = batch.getLabels();
        if (!decoder) {
            return new MultiDataSet(images, labels);
        }
        INDArray flat = images.reshape(images.size(0), images.length() / images.size(0));
        return new MultiDataSet(new INDArray[]{images, labels}, new INDArray[]{labels, flat});
    }

    /**
     * The graph's training batches for DL4J's iterator-based training ({@code network.fit(iterator)},
     * {@code ParallelWrapper}) from an iterator of (images, one-hot labels): each batch becomes
     * {@link #trainingBatch} of {@link #images}. The conversion is the returned iterator's pre-processor.
     */
    public static MultiDataSetIterator trainingBatches(ComputationGraph graph, DataSetIterator batches) {
        boolean decoder = hasDecoder(graph);
        MultiDataSetIteratorAdapter adapter = new MultiDataSetIteratorAdapter(batches);
        adapter.setPreProcessor(batch -> {
            INDArray labels = batch.getLabels(0).castTo(dataType(graph));
            MultiDataSet graphBatch = trainingBatch(new org.nd4j.linalg.dataset.DataSet(images(graph, batch.getFeatures(0)), labels), decoder);
            batch.setFeatures(graphBatch.getFeatures());
            batch.setLabels(graphBatch.getLabels());
        });
        return adapter;
    }

    /**
     * Images for the graph: {@code [batch, channels, height, width]} or flattened {@code [batch, channels·height·width]}
     * (as DL4J's {@code MnistDataSetIterator} gives them) as {@code [batch, channels, height, width]} in the network's
     * data type.
     */
    public static INDArray images(ComputationGraph graph, INDArray images) {
        int[] shape = imageShape(graph);
        return images.reshape(images.size(0), shape[0], shape[1], shape[2]).castTo(dataType(graph));
    }

    /**
     * The graph's inputs at inference for images {@code [batch, channels, height, width]}: the images in the
     * network's data type and, with the decoder, an all-zero label row per image, so that the mask picks the
     * longest capsule and no label leaks into the prediction.
     */
    public static INDArray[] inferenceInputs(ComputationGraph graph, INDArray images) {
        INDArray input = images.castTo(dataType(graph));   // FLOAT or DOUBLE images for either network
        if (!hasDecoder(graph)) {
            return new INDArray[]{input};
        }
        return new INDArray[]{input, Nd4j.zeros(input.dataType(), input.size(0), numClasses(graph))};
    }

    /**
     * {@code {channels, height, width}} of the images the graph takes. DL4J does not keep the input types in a
     * saved graph, so they are worked back from the layers: the input channels of {@value #CONVOLUTION}, and the
     * size {@value #PRIMARY_CAPS} receives enlarged by the convolution's kernel, stride and padding.
     *
     * @throws IllegalArgumentException if the graph has no {@value #CONVOLUTION} convolution followed by
     *                                  {@link PrimaryCaps} {@value #PRIMARY_CAPS}
     */
    public static int[] imageShape(ComputationGraph graph) {
        Layer first = layer(graph, CONVOLUTION);
        Layer primary = layer(graph, PRIMARY_CAPS);
        if (!(first instanceof ConvolutionLayer) || !(primary instanceof PrimaryCaps)) {
            throw new IllegalArgumentException("Not a CapsNetMnist graph: expected a ConvolutionLayer '" + CONVOLUTION
                    + "' followed by PrimaryCaps '" + PRIMARY_CAPS + "'.");
        }
        ConvolutionLayer convolution = (ConvolutionLayer) first;
        PrimaryCaps primaryCaps = (PrimaryCaps) primary;
        return new int[]{(int) convolution.getNIn(), sizeBefore(primaryCaps.getInputHeight(), convolution, 0),
                sizeBefore(primaryCaps.getInputWidth(), convolution, 1)};
    }

    /** Input size of a convolution (no dilation) along {@code axis} that gives {@code outputSize}: (out − 1)·s + k − 2p. */
    private static int sizeBefore(long outputSize, ConvolutionLayer convolution, int axis) {
        return (int) ((outputSize - 1) * convolution.getStride()[axis] + convolution.getKernelSize()[axis]
                - 2L * convolution.getPadding()[axis]);
    }

    /** The network's data type (its configuration's, so that it is known before {@code init()}). */
    private static DataType dataType(ComputationGraph graph) {
        return graph.getConfiguration().getDataType();
    }

    /**
     * The configuration of layer {@code name}, or null if the graph has no such layer; for a frozen layer (transfer
     * learning, {@link CapsNetTransfer}) the configuration of the layer inside.
     */
    private static Layer layer(ComputationGraph graph, String name) {
        GraphVertex vertex = graph.getConfiguration().getVertices().get(name);
        Layer layer = vertex instanceof LayerVertex ? ((LayerVertex) vertex).getLayerConf().getLayer() : null;
        return layer instanceof FrozenLayer ? ((FrozenLayer) layer).getLayer() : layer;
    }
}
