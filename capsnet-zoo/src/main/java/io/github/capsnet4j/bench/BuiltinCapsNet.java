package io.github.capsnet4j.bench;

import io.github.capsnet4j.layers.CapsuleMask;
import io.github.capsnet4j.loss.LossMargin;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.CapsuleStrengthLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * The paper's MNIST CapsNet built from DL4J's own capsule layers, the benchmark's second peer: the same
 * graph, inputs, outputs, losses, updater and parameter count (8,215,568) as {@link CapsNetMnist}, with
 * DL4J's {@code PrimaryCapsules} (9×9, stride 2, 32 channels of 8-D capsules), {@code CapsuleLayer}
 * (10 capsules of 16 D, 3 routings) and {@code CapsuleStrengthLayer} (the capsule lengths) in place of
 * PrimaryCaps, DigitCaps and CapsuleLength. DL4J has no masking vertex, so the decoder reads the built-in
 * CapsuleLayer's {@code [batch, 10, 16]} output through this project's {@link CapsuleMask} (its
 * InputType, {@code recurrent(10, 16)}, is what CapsuleMask expects).
 *
 * <p>Differences that do not change the cost: DL4J's squash uses ε = 1e-5 and its primary capsules
 * group the convolution's channels differently; DL4J's CapsuleLayer computes the predictions û by tiling
 * its input, which is what makes it slow and memory hungry.
 */
public final class BuiltinCapsNet {

    private static final int PIXELS = 28 * 28;

    private BuiltinCapsNet() {
    }

    public static ComputationGraphConfiguration conf() {
        return new NeuralNetConfiguration.Builder()
                .seed(1234)
                .updater(CapsNetMnist.defaultUpdater())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(CapsNetMnist.IMAGE_INPUT, CapsNetMnist.LABEL_INPUT)
                .setInputTypes(InputType.convolutional(28, 28, 1), InputType.feedForward(10))
                .addLayer("conv1", new ConvolutionLayer.Builder(9, 9).stride(1, 1).nOut(256)
                        .activation(Activation.RELU).build(), CapsNetMnist.IMAGE_INPUT)
                .addLayer("primarycapsules", new PrimaryCapsules.Builder(8, 32).kernelSize(9, 9).stride(2, 2).build(), "conv1")
                .addLayer("capsules", new CapsuleLayer.Builder(10, 16, 3).build(), "primarycapsules")
                .addLayer("strength", new CapsuleStrengthLayer.Builder().build(), "capsules")
                .addLayer(CapsNetMnist.LENGTHS_OUTPUT, new LossLayer.Builder().lossFunction(new LossMargin())
                        .activation(Activation.IDENTITY).build(), "strength")
                .addVertex("mask", new CapsuleMask(), "capsules", CapsNetMnist.LABEL_INPUT)
                .addLayer("decoder1", new DenseLayer.Builder().nOut(512).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), "mask")
                .addLayer("decoder2", new DenseLayer.Builder().nOut(1024).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), "decoder1")
                .addLayer(CapsNetMnist.RECONSTRUCTION_OUTPUT, new OutputLayer.Builder()
                        .lossFunction(new LossL2(Nd4j.valueArrayOf(new long[]{1, PIXELS}, CapsNetMnist.RECONSTRUCTION_WEIGHT)))
                        .nOut(PIXELS).activation(Activation.SIGMOID).build(), "decoder2")
                .setOutputs(CapsNetMnist.LENGTHS_OUTPUT, CapsNetMnist.RECONSTRUCTION_OUTPUT)
                .build();
    }

    public static ComputationGraph init() {
        ComputationGraph graph = new ComputationGraph(conf());
        graph.init();
        return graph;
    }
}
