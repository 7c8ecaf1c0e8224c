package com.example.consumer;

import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.layers.CapsuleLength;
import io.github.capsnet4j.layers.CapsuleMask;
import io.github.capsnet4j.layers.Convolution;
import io.github.capsnet4j.layers.Dense;
import io.github.capsnet4j.layers.DigitCaps;
import io.github.capsnet4j.layers.Output;
import io.github.capsnet4j.layers.PrimaryCaps;
import io.github.capsnet4j.loss.LossMargin;
import io.github.capsnet4j.zoo.CapsNetGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example graph ("Using the layers in your own graph"), verbatim, trains in a user's project. */
class ReadmeGraphTest {

    private static final Path SOURCE = Path.of("src/test/java/com/example/consumer/ReadmeGraphTest.java");

    private static ComputationGraphConfiguration readmeGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3))
                .graphBuilder()
                .addInputs("image", "label")
                .setInputTypes(InputType.convolutional(28, 28, 1), InputType.feedForward(10))
                .addLayer("conv1", Convolution.builder(9, 9).inputGradient(false)              // reads the image
                        .nOut(256).activation(Activation.RELU).build(), "image")
                .addLayer("primarycaps", PrimaryCaps.builder().capsuleChannels(32).capsuleDimension(8)
                        .kernelSize(9, 9).stride(2, 2).build(), "conv1")                      // [b, 1152, 8]
                .addLayer("digitcaps", DigitCaps.builder().capsules(10).capsuleDimension(16)
                        .routingIterations(3).build(), "primarycaps")                         // [b, 10, 16]
                .addLayer("capsulelength", CapsuleLength.builder().build(), "digitcaps")      // [b, 10]
                .addLayer("lengths", new LossLayer.Builder().lossFunction(new LossMargin())
                        .activation(Activation.IDENTITY).build(), "capsulelength")
                .addVertex("mask", new CapsuleMask(), "digitcaps", "label")                   // [b, 160]
                .addLayer("decoder1", Dense.builder().nOut(512).activation(Activation.RELU).build(), "mask")
                .addLayer("decoder2", Dense.builder().nOut(1024).activation(Activation.RELU).build(), "decoder1")
                .addLayer("reconstruction", Output.builder(new LossL2(Nd4j.valueArrayOf(new long[]{1, 784}, 0.0005)))
                        .nOut(784).activation(Activation.SIGMOID).build(), "decoder2")
                .setOutputs("lengths", "reconstruction")
                .build();
        return conf;
    }

    @Test
    void theReadmeGraphTrains() throws IOException {
        ComputationGraph network = new ComputationGraph(readmeGraph());
        network.init();
        MultiDataSet digits = CapsNetGraph.trainingBatch(MnistData.official(Split.TRAIN).head(16).toDataSet(), true);
        double before = network.score(digits);
        for (int step = 0; step < 6; step++) {
            network.fit(digits);
        }
        double after = network.score(digits);
        assertTrue(after < 0.8 * before, "the loss falls from " + before + " to " + after);
    }

    /** The graph above is the README's: its code block, whitespace aside, appears in this file. */
    @Test
    void theGraphIsTheReadmes() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("readme")));
        String heading = "## Using the layers in your own graph";
        int block = readme.indexOf("```java", readme.indexOf(heading)) + "```java".length();
        String code = readme.substring(block, readme.indexOf("```", block));
        assertTrue(squeeze(Files.readString(SOURCE)).contains(squeeze(code)),
                "ReadmeGraphTest.readmeGraph() must be the README's example under '" + heading + "'");
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", "");
    }
}
