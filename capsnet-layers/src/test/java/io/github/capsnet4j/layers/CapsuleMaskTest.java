package io.github.capsnet4j.layers;

import io.github.capsnet4j.testing.DoublePrecision;
import io.github.capsnet4j.testing.GradientProbe;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link CapsuleMask} in a graph, in double precision: inputs {@code caps} [batch, 3 capsules, 4-D] and {@code label}
 * [batch, 3] → CapsuleMask → {@code LossLayer(MSE, identity)} on the 12-wide flattened output. It proves:
 * <ul>
 *   <li>forward with one-hot labels keeps exactly the labelled capsule, in place: capsule k occupies columns
 *       {@code 4k .. 4k+3} of the output (capsule-major flattening), every other column is zero;</li>
 *   <li>an all-zero label row keeps the LONGEST capsule (inference: reconstruct from the prediction), row by row, also
 *       when other rows of the same batch are labelled;</li>
 *   <li>backward passes the gradient only to the kept capsule, unchanged ({@code dL/dv_k = dL/dout_k}), zero to the
 *       masked capsules, and none to the labels (they are data).</li>
 * </ul>
 * Values are chosen so that the labelled capsule is never the longest one, so "keeps the labelled capsule" cannot
 * pass by keeping the longest.
 */
@ExtendWith(DoublePrecision.class)
class CapsuleMaskTest {

    private static final int CAPSULES = 3;
    private static final int DIMENSION = 4;

    private static ComputationGraph graph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("caps", "label")
                .setInputTypes(InputType.recurrent(CAPSULES, DIMENSION), InputType.feedForward(CAPSULES))
                .addVertex("dcaps", new GradientProbe(), "caps")            // identity; records dLoss/dcaps
                .addVertex("dlabel", new GradientProbe(), "label")          // identity; records dLoss/dlabel
                .addVertex("masked", new CapsuleMask(), "dcaps", "dlabel")
                .addLayer("out", new LossLayer.Builder().lossFunction(new LossMSE()).activation(Activation.IDENTITY).build(), "masked")
                .setOutputs("out")
                .build());
        graph.init();
        return graph;
    }

    /** Capsule (example, k) has entries {@code scale(example, k) · (1, 2, 3, 4)}, so its length is proportional to scale. */
    private static INDArray capsules(double[][] scales) {
        INDArray caps = Nd4j.create(DataType.DOUBLE, scales.length, CAPSULES, DIMENSION);
        for (int b = 0; b < scales.length; b++) {
            for (int k = 0; k < CAPSULES; k++) {
                for (int d = 0; d < DIMENSION; d++) {
                    caps.putScalar(new int[]{b, k, d}, (b + 1) * (k + 1) * 0.01 + scales[b][k] * (d + 1));
                }
            }
        }
        return caps;
    }

    /** The expected output row: capsule {@code kept} of {@code caps[example]} at columns 4·kept.., zeros elsewhere. */
    private static double[] onlyCapsule(INDArray caps, int example, int kept) {
        double[] row = new double[CAPSULES * DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            row[kept * DIMENSION + d] = caps.getDouble(example, kept, d);
        }
        return row;
    }

    // Longest capsule per example: example 0 → 2, example 1 → 0, example 2 → 1.
    private static final double[][] SCALES = {{0.1, 0.2, 0.9}, {0.8, -0.3, 0.2}, {0.1, -0.7, 0.3}};

    @Test
    void oneHotLabelKeepsOnlyTheLabelledCapsuleInPlace() {
        ComputationGraph graph = graph();
        INDArray caps = capsules(SCALES);
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});   // never the longest
        INDArray out = graph.outputSingle(caps, labels);
        assertArrayEquals(new long[]{3, CAPSULES * DIMENSION}, out.shape());
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(onlyCapsule(caps, b, b), out.getRow(b).toDoubleVector(), 0.0, "example " + b);
        }
    }

    @Test
    void allZeroLabelRowKeepsTheLongestCapsule() {
        ComputationGraph graph = graph();
        INDArray caps = capsules(SCALES);
        INDArray labels = Nd4j.createFromArray(new double[][]{{0, 0, 0}, {0, 0, 1}, {0, 0, 0}});   // row 1 labelled
        INDArray out = graph.outputSingle(caps, labels);
        assertArrayEquals(onlyCapsule(caps, 0, 2), out.getRow(0).toDoubleVector(), 0.0, "example 0: longest is capsule 2");
        assertArrayEquals(onlyCapsule(caps, 1, 2), out.getRow(1).toDoubleVector(), 0.0, "example 1: labelled capsule 2");
        assertArrayEquals(onlyCapsule(caps, 2, 1), out.getRow(2).toDoubleVector(), 0.0, "example 2: longest is capsule 1 (negative entries)");
    }

    @Test
    void backwardPassesGradientOnlyToTheKeptCapsule() {
        ComputationGraph graph = graph();
        INDArray caps = capsules(SCALES);
        INDArray labels = Nd4j.createFromArray(new double[][]{{0, 1, 0}, {0, 0, 0}, {1, 0, 0}});   // example 1: longest (0)
        int[] kept = {1, 0, 0};
        Nd4j.getRandom().setSeed(3);
        INDArray target = Nd4j.rand(DataType.DOUBLE, 3, CAPSULES * DIMENSION);
        INDArray out = graph.outputSingle(caps, labels);

        INDArray dCaps = GradientProbe.gradient(graph, "dcaps", new INDArray[]{caps, labels}, new INDArray[]{target});
        INDArray dLabels = GradientProbe.gradient(graph, "dlabel", new INDArray[]{caps, labels}, new INDArray[]{target});
        assertArrayEquals(caps.shape(), dCaps.shape());

        // LossMSE: L = Σ_b mean_c (out − target)²,  dL/dout = 2 (out − target) / 12
        INDArray dOut = out.sub(target).muli(2.0 / (CAPSULES * DIMENSION));
        for (int b = 0; b < 3; b++) {
            for (int k = 0; k < CAPSULES; k++) {
                for (int d = 0; d < DIMENSION; d++) {
                    double expected = k == kept[b] ? dOut.getDouble(b, k * DIMENSION + d) : 0.0;
                    assertEquals(expected, dCaps.getDouble(b, k, d), 1e-12, "dL/dv[" + b + ", " + k + ", " + d + "]");
                }
            }
            assertNotEquals(0.0, dOut.getDouble(b, kept[b] * DIMENSION), "test data: the kept capsule's gradient must be non-zero");
        }
        assertEquals(0.0, dLabels.amaxNumber().doubleValue(), 0.0, "labels get no gradient");
    }
}
