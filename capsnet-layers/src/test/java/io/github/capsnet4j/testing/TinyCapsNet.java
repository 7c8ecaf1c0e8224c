package io.github.capsnet4j.testing;

import io.github.capsnet4j.layers.CapsuleLength;
import io.github.capsnet4j.layers.CapsuleMask;
import io.github.capsnet4j.layers.Convolution;
import io.github.capsnet4j.layers.Dense;
import io.github.capsnet4j.layers.DigitCaps;
import io.github.capsnet4j.layers.Output;
import io.github.capsnet4j.layers.PrimaryCaps;
import io.github.capsnet4j.loss.LossMargin;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * A small CapsNet with every layer, the mask vertex and both losses, for gradient checks and round trips:
 * image 1×{@code size}×{@code size} → Convolution (3 channels, 3×3, tanh) → PrimaryCaps (2 channels of 4-D, 3×3
 * stride 2: 8 capsules) → DigitCaps (3 capsules of 4-D) → CapsuleLength → LossMargin; CapsuleMask(DigitCaps, label)
 * → dense → sigmoid reconstruction (sum of squares). The convolution before PrimaryCaps puts PrimaryCaps' input
 * gradient under the gradient check too; like {@code CapsNetMnist}'s Conv1 it skips the image's gradient
 * ({@code inputGradient(false)}: its weight gradient comes from im2col products, its ∂L/∂z from channels-last memory).
 */
public final class TinyCapsNet {

    public static final int SIZE = 7;
    public static final int CLASSES = 3;

    private TinyCapsNet() {
    }

    public static ComputationGraphConfiguration configuration(DataType type, int routingIterations) {
        return configuration(type, routingIterations, new Adam(1e-3));
    }

    public static ComputationGraphConfiguration configuration(DataType type, int routingIterations, IUpdater updater) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(type)
                .updater(updater)
                .graphBuilder()
                .addInputs("image", "label")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, 1), InputType.feedForward(CLASSES))
                .addLayer("conv", Convolution.builder(3, 3).inputGradient(false).nOut(3).activation(Activation.TANH).build(), "image")
                .addLayer("primary", PrimaryCaps.builder().capsuleChannels(2).capsuleDimension(4)
                        .kernelSize(3, 3).stride(2, 2).build(), "conv")
                .addLayer("digits", DigitCaps.builder().capsules(CLASSES).capsuleDimension(4)
                        .routingIterations(routingIterations)
                        .weightInit(new WeightInitDistribution(new NormalDistribution(0, 0.5))).build(), "primary")
                .addLayer("lengths", CapsuleLength.builder().build(), "digits")
                .addLayer("margin", marginLoss(CLASSES), "lengths")
                .addVertex("masked", new CapsuleMask(), "digits", "label")
                .addLayer("decoder", Dense.builder().nOut(6).activation(Activation.TANH).build(), "masked")
                .addLayer("reconstruction", Output.builder(new LossL2(Nd4j.valueArrayOf(new long[]{1, SIZE * SIZE}, 0.0005)))
                        .nOut(SIZE * SIZE).activation(Activation.SIGMOID).build(), "decoder")
                .setOutputs("margin", "reconstruction")
                .build();
    }

    /**
     * {@code LossLayer(LossMargin)} on {@code classes} capsule lengths, with its size set: DL4J's LossLayer otherwise
     * announces its output as {@code InputType.feedForward(0)}, with a WARN ("Assigning a size of zero").
     */
    public static LossLayer marginLoss(int classes) {
        LossLayer margin = new LossLayer.Builder().lossFunction(new LossMargin()).activation(Activation.IDENTITY).build();
        margin.setNOut(classes);
        return margin;
    }
}
