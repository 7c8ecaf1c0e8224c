package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.DoublePrecision;
import io.github.capsnet4j.testing.TinyCapsNet;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J's numerical gradient check, in double precision, on a graph holding every layer, the vertex and both losses. */
@ExtendWith(DoublePrecision.class)
class GradientCheckTest {

    private static boolean check(int routingIterations) {
        ComputationGraph graph = new ComputationGraph(TinyCapsNet.configuration(DataType.DOUBLE, routingIterations, new NoOp()));
        graph.init();
        Nd4j.getRandom().setSeed(7);
        int batch = 3;
        INDArray images = Nd4j.rand(DataType.DOUBLE, batch, 1, TinyCapsNet.SIZE, TinyCapsNet.SIZE);
        INDArray labels = Nd4j.eye(TinyCapsNet.CLASSES).castTo(DataType.DOUBLE);
        INDArray flatImages = images.reshape(batch, TinyCapsNet.SIZE * TinyCapsNet.SIZE);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{images, labels})
                .labels(new INDArray[]{labels, flatImages})
                .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void gradientsOfEveryLayerMatchFiniteDifferencesWithThreeRoutingIterations() {
        assertTrue(check(3));
    }

    @Test
    void gradientsMatchFiniteDifferencesWithOneRoutingIteration() {
        assertTrue(check(1));
    }
}
