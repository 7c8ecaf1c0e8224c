package io.github.capsnet4j.bench;

import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The DL4J built-in peer is the same network as ours: parameters, inputs and outputs. */
class BuiltinCapsNetTest {

    @Test
    void sameParameterCountAndOutputsAsCapsNetMnist() {
        ComputationGraph builtin = BuiltinCapsNet.init();
        assertEquals(CapsNetMnist.builder().build().init().numParams(), builtin.numParams());
        assertEquals(8_215_568L, builtin.numParams());
        INDArray[] out = builtin.output(false, Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28), Nd4j.zeros(DataType.FLOAT, 2, 10));
        assertArrayEquals(new long[]{2, 10}, out[0].shape());
        assertArrayEquals(new long[]{2, 784}, out[1].shape());
    }
}
