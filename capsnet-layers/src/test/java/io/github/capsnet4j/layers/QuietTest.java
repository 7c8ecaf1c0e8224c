package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.TinyCapsNet;
import io.github.capsnet4j.loss.LossMargin;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A normal run of a graph with every layer is quiet. It proves:
 * <ul>
 *   <li>{@link #aNormalRunPrintsNothingAndLogsNoWarning}: building the configuration, initialising, training two steps
 *       and inference print nothing to stdout (no SameDiff "Added differentiated op ...": no layer is a SameDiff layer)
 *       and log no WARN or ERROR (stdout and stderr, where the tests' SLF4J binding writes, captured; the first run
 *       warms up ND4J, whose one-time start-up messages are not the layers');</li>
 *   <li>{@link #everyLayerAnnouncesItsOutputSize}: no layer announces an output of size zero, the cause of DL4J's
 *       one-time WARN "Assigning a size of zero" (which a second run could not show). DL4J's own {@code LossLayer}
 *       does, unless its {@code nOut} is set, as {@code TinyCapsNet.marginLoss} does: shown here too.</li>
 * </ul>
 */
class QuietTest {

    private static void run() {
        ComputationGraph network = new ComputationGraph(TinyCapsNet.configuration(DataType.FLOAT, 3));
        network.init();
        Nd4j.getRandom().setSeed(5);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 1, TinyCapsNet.SIZE, TinyCapsNet.SIZE);
        INDArray labels = Nd4j.eye(TinyCapsNet.CLASSES).getRows(0, 2).castTo(DataType.FLOAT);
        MultiDataSet data = new MultiDataSet(new INDArray[]{images, labels},
                new INDArray[]{labels, images.reshape(2, (long) TinyCapsNet.SIZE * TinyCapsNet.SIZE)});
        network.fit(data);
        network.fit(data);
        network.output(images, Nd4j.zeros(DataType.FLOAT, 2, TinyCapsNet.CLASSES));
    }

    @Test
    void aNormalRunPrintsNothingAndLogsNoWarning() {
        run();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(capture);
            run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        err.print(text);                                                   // what was captured, for the test log
        assertFalse(text.contains("Added differentiated op"), "SameDiff's stdout noise:\n" + text);
        assertFalse(text.contains("WARN") || text.contains("ERROR"), "a warning or error was logged:\n" + text);
        assertFalse(text.lines().anyMatch(line -> !line.contains(" INFO ")), "stdout/stderr output other than INFO logging:\n" + text);
    }

    @Test
    void everyLayerAnnouncesItsOutputSize() {
        InputType[] inputs = {InputType.convolutional(TinyCapsNet.SIZE, TinyCapsNet.SIZE, 1), InputType.feedForward(TinyCapsNet.CLASSES)};
        Map<String, InputType> types = TinyCapsNet.configuration(DataType.FLOAT, 3).getLayerActivationTypes(inputs);
        types.forEach((vertex, type) -> assertTrue(type.arrayElementsPerExample() > 0, vertex + " announces " + type));

        ComputationGraphConfiguration withDefaultLossLayer = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("v").setInputTypes(InputType.recurrent(3, 4))
                .addLayer("lengths", CapsuleLength.builder().build(), "v")
                .addLayer("margin", new LossLayer.Builder().lossFunction(new LossMargin()).activation(Activation.IDENTITY).build(), "lengths")
                .setOutputs("margin").build();
        Map<String, InputType> defaults = withDefaultLossLayer.getLayerActivationTypes(InputType.recurrent(3, 4));
        assertEquals(InputType.feedForward(3), defaults.get("lengths"));
        assertEquals(0, defaults.get("margin").arrayElementsPerExample(), "DL4J's LossLayer without nOut: the WARN's cause");
    }
}
