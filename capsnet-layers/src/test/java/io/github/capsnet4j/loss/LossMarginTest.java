package io.github.capsnet4j.loss;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LossMargin} on hand-computed examples (double precision, exact to 1e-12). It proves:
 * <ul>
 *   <li>the defaults are the paper's m⁺ = 0.9, m⁻ = 0.1, λ = 0.5;</li>
 *   <li>value and gradient of eq. (4) on two examples × 3 classes that hit every case: a present class below m⁺
 *       (active hinge), a present class above m⁺ (inactive), absent classes above m⁻ (active, weighted by λ) and
 *       below m⁻ (inactive); the averaged score divides by the batch, the score array is per example;</li>
 *   <li>a per-example mask {@code [b,1]} and a per-output mask {@code [b,k]} zero exactly the masked loss and
 *       gradient entries; multi-hot labels treat every labelled class as present;</li>
 *   <li>non-default m⁺/m⁻/λ survive {@code ComputationGraphConfiguration.toJson()/fromJson()} (the restored values
 *       are asserted: Jackson silently ignores a mismatched property name and would restore the defaults);</li>
 *   <li>bad input fails with a message naming the problem: labels whose width differs from the lengths (both shapes
 *       named), m⁺ ≤ m⁻ and a negative λ (the values named).</li>
 * </ul>
 */
class LossMarginTest {

    private static final double EXACT = 1e-12;
    private static final IActivation IDENTITY = new ActivationIdentity();

    /** Example 0: label class 0; example 1: label class 1. */
    private static final INDArray LABELS = Nd4j.createFromArray(new double[][]{{1, 0, 0}, {0, 1, 0}});
    private static final INDArray LENGTHS = Nd4j.createFromArray(new double[][]{{0.5, 0.05, 0.6}, {0.05, 0.95, 0.3}});

    // Example 0: present 0.5 < 0.9 → (0.4)² = 0.16; absent 0.05 < 0.1 → 0; absent 0.6 → 0.5·(0.5)² = 0.125.
    // Example 1: absent 0.05 → 0; present 0.95 > 0.9 → 0; absent 0.3 → 0.5·(0.2)² = 0.02.
    private static final double[] PER_EXAMPLE = {0.16 + 0.125, 0.02};
    // dL/d|v|: present −2·max(0, m⁺−|v|), absent 2λ·max(0, |v|−m⁻).
    private static final double[][] GRADIENT = {{-0.8, 0, 0.5}, {0, 0, 0.2}};

    private static void assertMatrix(double[][] expected, INDArray actual, String what) {
        assertArrayEquals(new long[]{expected.length, expected[0].length}, actual.shape(), what + ": shape");
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.getRow(i).toDoubleVector(), EXACT, what + ": row " + i);
        }
    }

    @Test
    void defaultsAreThePapers() {
        LossMargin loss = new LossMargin();
        assertEquals(0.9, loss.getMPlus());
        assertEquals(0.1, loss.getMMinus());
        assertEquals(0.5, loss.getLambda());
        assertEquals(new LossMargin(0.9, 0.1, 0.5), loss);
    }

    @Test
    void valueAndGradientMatchHandComputedExample() {
        LossMargin loss = new LossMargin();
        assertEquals(PER_EXAMPLE[0] + PER_EXAMPLE[1], loss.computeScore(LABELS, LENGTHS, IDENTITY, null, false), EXACT, "summed score");
        assertEquals((PER_EXAMPLE[0] + PER_EXAMPLE[1]) / 2, loss.computeScore(LABELS, LENGTHS, IDENTITY, null, true), EXACT, "averaged score");
        assertMatrix(new double[][]{{PER_EXAMPLE[0]}, {PER_EXAMPLE[1]}}, loss.computeScoreArray(LABELS, LENGTHS, IDENTITY, null), "score array");
        assertMatrix(GRADIENT, loss.computeGradient(LABELS, LENGTHS, IDENTITY, null), "gradient");

        var both = loss.computeGradientAndScore(LABELS, LENGTHS, IDENTITY, null, true);
        assertEquals((PER_EXAMPLE[0] + PER_EXAMPLE[1]) / 2, both.getFirst(), EXACT);
        assertMatrix(GRADIENT, both.getSecond(), "gradient of computeGradientAndScore");
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        LossMargin loss = new LossMargin(0.8, 0.2, 0.3);
        INDArray gradient = loss.computeGradient(LABELS, LENGTHS, IDENTITY, null);
        double h = 1e-6;
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 3; k++) {
                INDArray plus = LENGTHS.dup();
                plus.putScalar(i, k, plus.getDouble(i, k) + h);
                INDArray minus = LENGTHS.dup();
                minus.putScalar(i, k, minus.getDouble(i, k) - h);
                double numeric = (loss.computeScore(LABELS, plus, IDENTITY, null, false)
                        - loss.computeScore(LABELS, minus, IDENTITY, null, false)) / (2 * h);
                assertEquals(numeric, gradient.getDouble(i, k), 1e-7, "dL/d|v| at (" + i + ", " + k + ")");
            }
        }
    }

    @Test
    void perExampleMaskZeroesMaskedExamples() {
        LossMargin loss = new LossMargin();
        INDArray mask = Nd4j.createFromArray(new double[][]{{0}, {1}});
        assertMatrix(new double[][]{{0}, {PER_EXAMPLE[1]}}, loss.computeScoreArray(LABELS, LENGTHS, IDENTITY, mask), "masked score array");
        assertEquals(PER_EXAMPLE[1], loss.computeScore(LABELS, LENGTHS, IDENTITY, mask, false), EXACT, "masked score");
        assertMatrix(new double[][]{{0, 0, 0}, GRADIENT[1]}, loss.computeGradient(LABELS, LENGTHS, IDENTITY, mask), "masked gradient");
    }

    @Test
    void perOutputMaskZeroesMaskedClasses() {
        LossMargin loss = new LossMargin();
        INDArray mask = Nd4j.createFromArray(new double[][]{{1, 1, 0}, {1, 1, 1}});   // drop class 2 of example 0
        assertMatrix(new double[][]{{0.16}, {PER_EXAMPLE[1]}}, loss.computeScoreArray(LABELS, LENGTHS, IDENTITY, mask), "masked score array");
        assertMatrix(new double[][]{{-0.8, 0, 0}, GRADIENT[1]}, loss.computeGradient(LABELS, LENGTHS, IDENTITY, mask), "masked gradient");
    }

    @Test
    void multiHotLabelsTreatEveryLabelledClassAsPresent() {
        LossMargin loss = new LossMargin();
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0, 1}});
        INDArray lengths = Nd4j.createFromArray(new double[][]{{0.5, 0.05, 0.6}});
        // class 0: (0.9−0.5)² = 0.16; class 1: absent, inactive; class 2 present: (0.9−0.6)² = 0.09
        assertEquals(0.25, loss.computeScore(labels, lengths, IDENTITY, null, true), EXACT);
        assertMatrix(new double[][]{{-0.8, 0, -0.6}}, loss.computeGradient(labels, lengths, IDENTITY, null), "gradient");
    }

    @Test
    void nonDefaultParametersSurviveJsonRoundTripOfAGraphConfiguration() {
        LossMargin original = new LossMargin(0.75, 0.2, 0.25);
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("lengths")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("margin", new LossLayer.Builder().lossFunction(original).activation(IDENTITY).build(), "lengths")
                .setOutputs("margin")
                .build();
        String json = configuration.toJson();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(json);

        ILossFunction restoredLoss = ((LossLayer) ((LayerVertex) restored.getVertices().get("margin")).getLayerConf().getLayer()).getLossFn();
        LossMargin margin = assertInstanceOf(LossMargin.class, restoredLoss);
        assertEquals(0.75, margin.getMPlus(), "m+ after the round trip");
        assertEquals(0.2, margin.getMMinus(), "m- after the round trip");
        assertEquals(0.25, margin.getLambda(), "lambda after the round trip");
        assertEquals(original, margin);
        assertEquals(json, restored.toJson(), "second serialisation");
    }

    @Test
    void labelWidthMismatchNamesBothShapes() {
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0, 0, 0}, {0, 1, 0, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LossMargin().computeScore(labels, LENGTHS, IDENTITY, null, true));
        assertTrue(e.getMessage().contains("[2, 4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("DigitCaps capsule count"), e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> new LossMargin().computeGradient(labels, LENGTHS, IDENTITY, null));
        assertEquals(e.getMessage(), g.getMessage());
    }

    @Test
    void marginsOutOfOrderAreRejectedWithTheValues() {
        IllegalArgumentException equal = assertThrows(IllegalArgumentException.class, () -> new LossMargin(0.3, 0.3, 0.5));
        assertTrue(equal.getMessage().contains("m+=0.3") && equal.getMessage().contains("m-=0.3"), equal.getMessage());
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class, () -> new LossMargin(0.1, 0.9, 0.5));
        assertTrue(reversed.getMessage().contains("m+=0.1") && reversed.getMessage().contains("m-=0.9"), reversed.getMessage());
    }

    @Test
    void negativeOrNonFiniteLambdaIsRejectedWithTheValue() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new LossMargin(0.9, 0.1, -0.5));
        assertTrue(negative.getMessage().contains("-0.5") && negative.getMessage().contains("lambda"), negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> new LossMargin(0.9, 0.1, Double.NaN));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException infinite = assertThrows(IllegalArgumentException.class,
                () -> new LossMargin(0.9, 0.1, Double.POSITIVE_INFINITY));
        assertTrue(infinite.getMessage().contains("finite lambda") && infinite.getMessage().contains("Infinity"),
                infinite.getMessage());
        assertEquals(0.0, new LossMargin(0.9, 0.1, 0).getLambda(), "lambda = 0 is allowed");
    }
}
