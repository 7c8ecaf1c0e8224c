package io.github.capsnet4j.layers;

import io.github.capsnet4j.ops.CapsulePredictions;
import io.github.capsnet4j.ops.DynamicRouting;
import io.github.capsnet4j.ops.Squash;
import io.github.capsnet4j.testing.TinyCapsNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data types, as DL4J's own layers handle them. It proves:
 * <ul>
 *   <li>{@link #inputsOfAnyTypeAreCastToTheNetworksType}: FLOAT and DOUBLE networks ({@link TinyCapsNet}: every layer and
 *       the mask vertex) fed FLOAT, DOUBLE and HALF arrays give outputs of the network's type, equal to those for the
 *       same values given in the network's type; one training step from them gives the same parameters;</li>
 *   <li>{@link #halfNetworksAreRefusedWithTheFix}: a HALF network is refused when it is initialised, naming the layer,
 *       the type, why and the fix; a BFLOAT16 network DL4J itself refuses ({@link #bfloat16NetworksAreRefusedByDl4j});</li>
 *   <li>{@link #sixteenBitArraysAreRefusedByTheOps}: the ops refuse 16-bit arrays and SameDiff variables, so no
 *       {@code squash(0) = NaN} from float16.</li>
 * </ul>
 */
class DataTypeTest {

    private static final int BATCH = 3;

    /** The images and labels as values exactly representable in every type used below (multiples of 1/64). */
    private static INDArray[] features() {
        Nd4j.getRandom().setSeed(12);
        INDArray images = Nd4j.rand(DataType.DOUBLE, BATCH, 1, TinyCapsNet.SIZE, TinyCapsNet.SIZE).muli(64);
        images = org.nd4j.linalg.ops.transforms.Transforms.floor(images, false).divi(64);
        return new INDArray[]{images, Nd4j.eye(TinyCapsNet.CLASSES)};
    }

    private static MultiDataSet batch(DataType type) {
        INDArray[] f = features();
        INDArray images = f[0].castTo(type);
        INDArray labels = f[1].castTo(type);
        return new MultiDataSet(new INDArray[]{images, labels},
                new INDArray[]{labels, images.reshape(BATCH, (long) TinyCapsNet.SIZE * TinyCapsNet.SIZE)});
    }

    private static ComputationGraph network(DataType type) {
        ComputationGraph network = new ComputationGraph(TinyCapsNet.configuration(type, 3));
        network.init();
        return network;
    }

    @ParameterizedTest
    @CsvSource({"FLOAT, FLOAT", "FLOAT, DOUBLE", "FLOAT, HALF", "DOUBLE, DOUBLE", "DOUBLE, FLOAT", "DOUBLE, HALF"})
    void inputsOfAnyTypeAreCastToTheNetworksType(DataType networkType, DataType inputType) {
        ComputationGraph network = network(networkType);
        MultiDataSet same = batch(networkType);
        MultiDataSet other = batch(inputType);

        INDArray[] expected = network.output(same.getFeatures());
        INDArray[] actual = network.output(other.getFeatures());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(networkType, actual[i].dataType(), "output " + i + " in the network's type");
            assertArrayEquals(expected[i].shape(), actual[i].shape());
            assertEquals(0.0, expected[i].sub(actual[i]).amaxNumber().doubleValue(), 0.0, "output " + i);
        }

        ComputationGraph trained = network.clone();
        INDArray before = network.params().dup();
        network.fit(same);
        trained.fit(other);
        assertTrue(Double.isFinite(trained.score()), "score after a step on " + inputType + " input");
        assertFalse(before.equals(trained.params()), "the step must change the parameters");
        assertEquals(0.0, network.params().sub(trained.params()).amaxNumber().doubleValue(), 0.0,
                "a step on " + inputType + " input equals a step on " + networkType + " input");
    }

    @Test
    void halfNetworksAreRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> network(DataType.HALF));
        assertTrue(e.getMessage().contains("PrimaryCaps 'primary' computes in FLOAT or DOUBLE, not HALF"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN at a zero capsule"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: use DataType.FLOAT"), e.getMessage());
    }

    /** DL4J 1.0.0-M2.1 itself accepts no BFLOAT16 network, so the layers never see one (their check would refuse it too). */
    @Test
    void bfloat16NetworksAreRefusedByDl4j() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> network(DataType.BFLOAT16));
        assertTrue(e.getMessage().contains("BFLOAT16"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"HALF", "BFLOAT16"})
    void sixteenBitArraysAreRefusedByTheOps(DataType type) {
        INDArray zeros = Nd4j.zeros(type, 2, 3, 4);
        assertRefused("Squash", type, () -> Squash.squash(zeros));
        assertRefused("Squash", type, () -> Squash.backward(zeros, zeros));
        assertRefused("CapsulePredictions", type, () -> CapsulePredictions.forward(zeros, Nd4j.zeros(type, 3, 4, 10), 2, 5));
        assertRefused("DynamicRouting", type, () -> DynamicRouting.forward(Nd4j.zeros(type, 3, 4, 10), 3, 2, false));
        SameDiff sd = SameDiff.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Squash.squash(sd, sd.var("s", Nd4j.zeros(type, 2, 3, 4))));
        assertTrue(e.getMessage().startsWith("Squash computes in FLOAT or DOUBLE, not " + type), e.getMessage());
    }

    /** {@code call} refuses {@code type}, naming the op, the type and the fix. */
    private static void assertRefused(String op, DataType type, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op + " computes in FLOAT or DOUBLE, not " + type)
                && e.getMessage().contains("Fix: use DataType.FLOAT"), e.getMessage());
    }
}
