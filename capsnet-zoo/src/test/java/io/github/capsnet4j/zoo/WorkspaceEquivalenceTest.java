package io.github.capsnet4j.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capsule layers keep forward results for their backward pass (so each runs its forward pass once per
 * step) in DL4J's activations workspace: training with workspaces must give the same gradient and the same network as
 * training without them. Stale or overwritten cached arrays would make the two drift apart.
 */
class WorkspaceEquivalenceTest {

    private static final int BATCH = 6;

    @Test
    void trainingWithWorkspacesEqualsTrainingWithout() {
        ComputationGraph withWorkspaces = network(WorkspaceMode.ENABLED);
        ComputationGraph without = network(WorkspaceMode.NONE);
        assertEquals(withWorkspaces.params(), without.params(), "same initial parameters");
        INDArray gradientWith = gradient(withWorkspaces, batch(0));
        INDArray gradientWithout = gradient(without, batch(0));
        double largest = gradientWithout.amaxNumber().doubleValue();
        assertTrue(largest > 0, "the step has a gradient");
        double gradientDifference = gradientWith.sub(gradientWithout).amaxNumber().doubleValue();
        assertTrue(gradientDifference <= 1e-5 * largest,
                "same gradient (Adam's step hides a gradient of the wrong scale): max difference " + gradientDifference + " of " + largest);
        for (int step = 0; step < 3; step++) {
            MultiDataSet batch = batch(step);
            withWorkspaces.fit(batch);
            without.fit(batch);
        }
        INDArray difference = withWorkspaces.params().sub(without.params());
        double change = without.params().sub(network(WorkspaceMode.NONE).params()).amaxNumber().doubleValue();
        assertTrue(change > 1e-4, "training changed the parameters (max change " + change + ")");
        assertTrue(difference.amaxNumber().doubleValue() < 1e-5, "max difference " + difference.amaxNumber());
    }

    /** ∂L/∂θ of {@code batch}, all parameters flattened, without updating the network. */
    private static INDArray gradient(ComputationGraph network, MultiDataSet batch) {
        network.setInputs(batch.getFeatures());
        network.setLabels(batch.getLabels());
        network.computeGradientAndScore();
        return network.getFlattenedGradients().dup();
    }

    private static ComputationGraph network(WorkspaceMode mode) {
        ComputationGraphConfiguration conf = CapsNetMnist.builder().seed(5).build().conf();
        conf.setTrainingWorkspaceMode(mode);
        conf.setInferenceWorkspaceMode(mode);
        ComputationGraph network = new ComputationGraph(conf);
        network.init();
        return network;
    }

    private static MultiDataSet batch(int step) {
        Nd4j.getRandom().setSeed(100 + step);
        INDArray images = Nd4j.rand(DataType.FLOAT, BATCH, 1, 28, 28);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 10);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, (i + step) % 10, 1.0);
        }
        return CapsNetGraph.trainingBatch(new DataSet(images, labels), true);
    }
}
