package io.github.capsnet4j.loss;

import io.github.capsnet4j.testing.DoublePrecision;
import io.github.capsnet4j.layers.CapsuleLength;
import io.github.capsnet4j.testing.Fixture;
import io.github.capsnet4j.testing.GradientProbe;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static io.github.capsnet4j.testing.Tolerance.assertClose;
import static io.github.capsnet4j.testing.Tolerance.relative;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The margin loss against the float64 PyTorch reference fixture {@code margin_s7} (4 examples, 10 capsules of 16-D,
 * one-hot labels; the fixture's loss is the MEAN over the batch of the sum over classes), in float64 (1e-9 relative)
 * and float32 (1e-5). It proves:
 * <ul>
 *   <li>{@link #lossFunctionMatchesReference}: {@code LossMargin} alone, on the reference lengths: the averaged score
 *       is the reference loss, and {@code computeGradient} is the gradient of the SUMMED loss, i.e. the reference
 *       gradient of the mean times the batch size (DL4J divides by the minibatch in the updater).</li>
 *   <li>{@link #graphScoreAndInputGradientMatchReference}: the same through DL4J, capsules {@code v} →
 *       {@link CapsuleLength} → {@code LossLayer(LossMargin, identity)}: the graph's score equals the reference loss,
 *       and the gradient reaching the capsules, divided by the batch, equals the reference {@code dLoss/dv}. This
 *       checks CapsuleLength's backward pass (including the SameDiff double-gradient workaround on an INPUT
 *       gradient, not only on parameters) and the wiring of the loss into a LossLayer. DL4J 1.0.0-M2.1's
 *       {@code ComputationGraph} has no {@code calculateGradients}, so the input gradient is read with a
 *       {@link GradientProbe} (an identity vertex) between the input and CapsuleLength; like DL4J's backward pass it
 *       is the gradient of the SUM over the batch, so dividing by the batch is needed (and checked).</li>
 * </ul>
 */
@ExtendWith(DoublePrecision.class)
class LossMarginFixtureTest {

    private static final Fixture MARGIN = Fixture.load("margin_s7");

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void lossFunctionMatchesReference(DataType type) {
        INDArray labels = MARGIN.array("labels_onehot", type);
        INDArray lengths = MARGIN.array("lengths", type);
        long batch = lengths.size(0);
        double expectedLoss = MARGIN.array("loss", DataType.DOUBLE).getDouble(0);

        double score = new LossMargin().computeScore(labels, lengths, new ActivationIdentity(), null, true);
        assertEquals(expectedLoss, score, relative(type) * Math.abs(expectedLoss), "mean margin loss");

        INDArray gradient = new LossMargin().computeGradient(labels, lengths, new ActivationIdentity(), null);
        assertClose("dLoss/dlengths / batch", MARGIN.array("grad_lengths", DataType.DOUBLE),
                gradient.castTo(DataType.DOUBLE).div(batch), type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void graphScoreAndInputGradientMatchReference(DataType type) {
        INDArray v = MARGIN.array("v", type);
        INDArray labels = MARGIN.array("labels_onehot", type);
        long batch = v.size(0);
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .dataType(type)
                .graphBuilder()
                .addInputs("v")
                .setInputTypes(InputType.recurrent(v.size(1), v.size(2)))
                .addVertex("dv", new GradientProbe(), "v")                 // identity; records dLoss/dv
                .addLayer("lengths", CapsuleLength.builder().build(), "dv")
                .addLayer("margin", new LossLayer.Builder().lossFunction(new LossMargin()).activation(Activation.IDENTITY).build(), "lengths")
                .setOutputs("margin")
                .build());
        graph.init();
        double expectedLoss = MARGIN.array("loss", DataType.DOUBLE).getDouble(0);

        INDArray dLossdV = GradientProbe.gradient(graph, "dv", new INDArray[]{v}, new INDArray[]{labels});
        assertEquals(expectedLoss, graph.score(), relative(type) * Math.abs(expectedLoss), "score of the backward pass");
        // DL4J's backward pass gives the gradient of the SUM over the batch; the fixture is of the MEAN.
        assertClose("dLoss/dv / batch", MARGIN.array("grad_v", DataType.DOUBLE), dLossdV.castTo(DataType.DOUBLE).div(batch), type);

        assertClose("graph output = capsule lengths", MARGIN.array("lengths", DataType.DOUBLE), graph.outputSingle(v), type);
        assertEquals(expectedLoss, graph.score(new DataSet(v, labels)), relative(type) * Math.abs(expectedLoss), "graph score");
    }
}
