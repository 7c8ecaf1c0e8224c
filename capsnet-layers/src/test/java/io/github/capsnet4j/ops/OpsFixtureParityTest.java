package io.github.capsnet4j.ops;

import io.github.capsnet4j.testing.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static io.github.capsnet4j.testing.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values and gradients of both forms of each equation, SameDiff and arrays with the hand-written backward pass, against
 * the same float64 reference fixtures, in float64 (1e-9) and float32 (1e-5). Each gradient is that of
 * {@code sum(output · G)} with the fixture's G.
 */
class OpsFixtureParityTest {

    /** Adds the scalar {@code sum(output · G)} as the loss and returns the gradients of the named variables. */
    private static Map<String, INDArray> gradients(SameDiff sd, SDVariable output, INDArray g, String... variables) {
        SDVariable loss = output.mul(sd.constant("G", g)).sum();
        sd.setLossVariables(loss);
        return sd.calculateGradients(null, variables);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void squashMatchesReference(DataType type) {
        Fixture f = Fixture.load("squash_s7");
        SameDiff sd = SameDiff.create();
        SDVariable s = sd.var("s", f.array("s", type));
        SDVariable v = Squash.squash(sd, s);
        assertClose("squash v", f.array("v", DataType.DOUBLE), v.eval(), type);
        Map<String, INDArray> grads = gradients(sd, v, f.array("G", type), "s");
        assertClose("squash grad_s", f.array("grad_s", DataType.DOUBLE), grads.get("s"), type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void squashOnArraysMatchesReference(DataType type) {
        Fixture f = Fixture.load("squash_s7");
        INDArray s = f.array("s", type);
        assertClose("squash(INDArray) v", f.array("v", DataType.DOUBLE), Squash.squash(s), type);
        assertClose("Squash.backward grad_s", f.array("grad_s", DataType.DOUBLE), Squash.backward(s, f.array("G", type)), type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void uHatMatchesReference(DataType type) {
        Fixture f = Fixture.load("uhat_s7");
        INDArray paperW = f.array("W", type);                              // [in, out, inDim, outDim]
        long in = paperW.size(0), out = paperW.size(1), inDim = paperW.size(2), outDim = paperW.size(3);
        INDArray u = f.array("u", type);
        long batch = u.size(0);
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("W", paperW.permute(0, 2, 1, 3).dup('c').reshape(in, inDim, out * outDim));
        SDVariable uVar = sd.var("u", u);
        SDVariable byOutput = CapsulePredictions.uHatByOutput(sd, uVar, w, (int) in, (int) out, (int) outDim);
        SDVariable uHat = byOutput.reshape(batch, out, in, outDim).permute(0, 2, 1, 3);   // paper layout [b, in, out, outDim]
        assertClose("u_hat", f.array("u_hat", DataType.DOUBLE), uHat.eval(), type);
        Map<String, INDArray> grads = gradients(sd, uHat, f.array("G", type), "W", "u");
        INDArray gradW = grads.get("W").reshape(in, inDim, out, outDim).permute(0, 2, 1, 3);
        assertClose("grad_W", f.array("grad_W", DataType.DOUBLE), gradW, type);
        assertClose("grad_u", f.array("grad_u", DataType.DOUBLE), grads.get("u"), type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void uHatOnArraysMatchesReference(DataType type) {
        Fixture f = Fixture.load("uhat_s7");
        INDArray paperW = f.array("W", type);                              // [in, out, inDim, outDim]
        int in = (int) paperW.size(0), out = (int) paperW.size(1), inDim = (int) paperW.size(2), outDim = (int) paperW.size(3);
        INDArray u = f.array("u", type);
        INDArray w = paperW.permute(0, 2, 1, 3).dup('c').reshape(in, inDim, out * outDim);
        CapsulePredictions.Trace predictions = CapsulePredictions.forward(u, w, out, outDim);
        assertClose("u_hat", f.array("u_hat", DataType.DOUBLE), paperLayout(predictions.uHatByInput(), out), type);
        INDArray gradW = w.ulike();
        INDArray gradU = predictions.backward(byInput(f.array("G", type)), gradW);
        assertClose("grad_W", f.array("grad_W", DataType.DOUBLE), gradW.reshape(in, inDim, out, outDim).permute(0, 2, 1, 3), type);
        assertClose("grad_u", f.array("grad_u", DataType.DOUBLE), gradU, type);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> predictions.backward(f.array("G", type), gradW));
        assertTrue(e.getMessage().contains("must have û's shape"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void routingOnArraysMatchesReference(DataType type) {
        for (String name : new String[]{"routing_r1_s7", "routing_r3_s7"}) {
            Fixture f = Fixture.load(name);
            INDArray uHat = f.array("u_hat", type);                         // [batch, in, out, outDim]
            long batch = uHat.size(0), in = uHat.size(1), out = uHat.size(2), outDim = uHat.size(3);
            DynamicRouting.Trace trace = DynamicRouting.forward(byInput(uHat), f.integer("iterations"), (int) out, false);
            assertClose(name + " v", f.array("v", DataType.DOUBLE), trace.output(), type);
            INDArray grad = trace.backward(f.array("G", type));
            assertArrayEquals(new long[]{in, batch, out * outDim}, grad.shape());
            assertClose(name + " grad_u_hat", f.array("grad_u_hat", DataType.DOUBLE), paperLayout(grad, (int) out), type);
        }
    }

    /** The recorded couplings: uniform in iteration 1, then a distribution over the output capsules for every input capsule. */
    @Test
    void routingTraceRecordsTheCouplingsOfEveryIteration() {
        Fixture f = Fixture.load("routing_r3_s7");
        INDArray uHat = f.array("u_hat", DataType.DOUBLE);
        long batch = uHat.size(0), in = uHat.size(1), out = uHat.size(2);
        DynamicRouting.Trace trace = DynamicRouting.forward(byInput(uHat), 3, (int) out, false);
        assertEquals(3, trace.iterations());
        assertClose("c_1", Nd4j.valueArrayOf(new long[]{batch, out, in}, 1.0 / out, DataType.DOUBLE), trace.couplings(1), DataType.DOUBLE);
        for (int t = 2; t <= 3; t++) {
            INDArray c = trace.couplings(t);
            assertArrayEquals(new long[]{batch, out, in}, c.shape());
            assertClose("c_" + t + " sums over the output capsules", Nd4j.ones(DataType.DOUBLE, batch, in), c.sum(1), DataType.DOUBLE);
            assertTrue(c.sub(trace.couplings(1)).amaxNumber().doubleValue() > 1e-9, "c_" + t + " moved away from uniform");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trace.couplings(4));
        assertTrue(e.getMessage().contains("routing iteration 4 does not exist") && e.getMessage().contains("iterations 1 to 3"),
                e.getMessage());
    }

    /**
     * With detached inner iterations both forms match the reference ({@code routing_detached_r3_s7}, made by
     * {@code fixtures/routing_detached.py} with PyTorch: û detached in iterations 1 and 2).
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void routingWithDetachedInnerIterationsMatchesReference(DataType type) {
        Fixture f = Fixture.load("routing_detached_r3_s7");
        INDArray paperUHat = f.array("u_hat", type);                       // [batch, in, out, outDim]
        long batch = paperUHat.size(0);
        int in = (int) paperUHat.size(1), out = (int) paperUHat.size(2), outDim = (int) paperUHat.size(3);
        int iterations = f.integer("iterations");
        SameDiff sd = SameDiff.create();
        SDVariable uHatVar = sd.var("u_hat", paperUHat);
        SDVariable v = DynamicRouting.route(sd, uHatVar, iterations, in, out, outDim, true);
        assertClose("SameDiff detached v", f.array("v", DataType.DOUBLE), v.eval(), type);
        Map<String, INDArray> grads = gradients(sd, v, f.array("G", type), "u_hat");
        assertClose("SameDiff detached grad_u_hat", f.array("grad_u_hat", DataType.DOUBLE), grads.get("u_hat"), type);

        DynamicRouting.Trace trace = DynamicRouting.forward(byInput(paperUHat), iterations, out, true);
        assertClose("detached v", f.array("v", DataType.DOUBLE), trace.output(), type);
        assertClose("detached grad_u_hat", f.array("grad_u_hat", DataType.DOUBLE),
                paperLayout(trace.backward(f.array("G", type)), out), type);
        assertEquals(batch, trace.output().size(0));
        Fixture full = Fixture.load("routing_r3_s7");
        assertTrue(full.array("grad_u_hat", DataType.DOUBLE).sub(f.array("grad_u_hat", DataType.DOUBLE)).amaxNumber().doubleValue() > 1e-5,
                "detaching changes the gradient");
    }

    /** û (or a gradient of its shape) from the fixtures' [batch, in, out, outDim] to [in, batch, out·outDim]. */
    private static INDArray byInput(INDArray uHat) {
        return uHat.permute(1, 0, 2, 3).dup('c').reshape(uHat.size(1), uHat.size(0), uHat.size(2) * uHat.size(3));
    }

    /** The inverse of {@link #byInput}: [in, batch, out·outDim] to the fixtures' [batch, in, out, outDim]. */
    private static INDArray paperLayout(INDArray byInput, int out) {
        return byInput.reshape(byInput.size(0), byInput.size(1), out, byInput.size(2) / out).permute(1, 0, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void routingOneIterationMatchesReference(DataType type) {
        checkRouting("routing_r1_s7", type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void routingThreeIterationsMatchesReference(DataType type) {
        checkRouting("routing_r3_s7", type);
    }

    private static void checkRouting(String name, DataType type) {
        Fixture f = Fixture.load(name);
        SameDiff sd = SameDiff.create();
        SDVariable uHat = sd.var("u_hat", f.array("u_hat", type));
        SDVariable v = DynamicRouting.route(sd, uHat, f.integer("iterations"));
        assertClose(name + " v", f.array("v", DataType.DOUBLE), v.eval(), type);
        Map<String, INDArray> grads = gradients(sd, v, f.array("G", type), "u_hat");
        assertClose(name + " grad_u_hat", f.array("grad_u_hat", DataType.DOUBLE), grads.get("u_hat"), type);
    }
}
