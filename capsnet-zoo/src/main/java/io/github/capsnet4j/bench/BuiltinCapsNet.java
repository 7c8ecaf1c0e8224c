package io.github.capsnet4j.bench;

import io.github.capsnet4j.zoo.CapsNetGraph;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.CapsuleStrengthLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The paper's MNIST CapsNet built from DL4J's own capsule layers, the benchmark's second peer: the same
 * graph, vertex names ({@link CapsNetGraph}), inputs, outputs, losses, decoder, updater and parameter count
 * (8,215,568) as {@link CapsNetMnist}, with DL4J's {@code PrimaryCapsules} (9×9, stride 2, 32 channels of 8-D
 * capsules), {@code CapsuleLayer} (10 capsules of 16 D, 3 routings) and {@code CapsuleStrengthLayer} (the
 * capsule lengths) in place of PrimaryCaps, DigitCaps and CapsuleLength. DL4J has no masking vertex, so the decoder
 * ({@link CapsNetGraph#addDecoder}) reads the built-in CapsuleLayer's {@code [batch, 10, 16]} output through
 * this project's {@code CapsuleMask} (its InputType, {@code recurrent(10, 16)}, is what CapsuleMask expects).
 *
 * <p>Differences that do not change the cost: DL4J's squash uses ε = 1e-5 and its primary capsules
 * group the convolution's channels differently; DL4J's CapsuleLayer computes the predictions û by tiling
 * its input, which is what makes it slow and memory hungry.
 */
public final class BuiltinCapsNet {

    private static final int PIXELS = 28 * 28;
    private static final int CLASSES = 10;

    private BuiltinCapsNet() {
    }

    public static ComputationGraphConfiguration conf() {
        GraphBuilder graph = CapsNetGraph.addInputs(new NeuralNetConfiguration.Builder()
                .seed(1234)
                .updater(CapsNetMnist.defaultUpdater())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder(), 28, 28, 1, CLASSES, true)
                .addLayer(CapsNetGraph.CONVOLUTION, new ConvolutionLayer.Builder(9, 9).stride(1, 1).nOut(256)
                        .activation(Activation.RELU).build(), CapsNetGraph.IMAGE)
                .addLayer(CapsNetGraph.PRIMARY_CAPS, new PrimaryCapsules.Builder(8, 32).kernelSize(9, 9).stride(2, 2).build(),
                        CapsNetGraph.CONVOLUTION)
                .addLayer(CapsNetGraph.DIGIT_CAPS, new CapsuleLayer.Builder(CLASSES, 16, 3).build(), CapsNetGraph.PRIMARY_CAPS)
                .addLayer(CapsNetGraph.CAPSULE_LENGTH, new CapsuleStrengthLayer.Builder().build(), CapsNetGraph.DIGIT_CAPS);
        CapsNetGraph.addLengthsOutput(graph, CapsNetGraph.CAPSULE_LENGTH, CLASSES);
        return CapsNetGraph.addDecoder(graph, CapsNetGraph.DIGIT_CAPS, PIXELS)
                .setOutputs(CapsNetGraph.LENGTHS, CapsNetGraph.RECONSTRUCTION)
                .build();
    }

    public static ComputationGraph init() {
        ComputationGraph graph = new ComputationGraph(conf());
        graph.init();
        return graph;
    }
}
