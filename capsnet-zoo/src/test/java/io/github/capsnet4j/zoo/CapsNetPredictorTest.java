package io.github.capsnet4j.zoo;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapsNetPredictorTest {

    private static CapsNetPredictor predictor;
    private static INDArray digits;

    @BeforeAll
    static void setUp() throws Exception {
        predictor = new CapsNetPredictor(TinyCapsNet.network(true));
        digits = TinyCapsNet.testDigits(5);
    }

    @Test
    void predictsClassLengthsCapsuleAndReconstruction() {
        List<Prediction> predictions = predictor.predict(digits);
        assertEquals(5, predictions.size());
        for (Prediction prediction : predictions) {
            assertArrayEquals(new long[]{10}, prediction.probabilities().shape());
            assertInUnitRange(prediction.probabilities());
            assertEquals(prediction.probabilities().argMax().getInt(0), prediction.predictedClass());
            assertEquals(prediction.probabilities().maxNumber().doubleValue(), prediction.probability(), 1e-7);
            assertArrayEquals(new long[]{16}, prediction.capsule().shape());
            assertEquals(prediction.probability(), prediction.capsule().norm2Number().doubleValue(), 1e-4);   // length = probability
            INDArray reconstruction = prediction.reconstruction().orElseThrow();
            assertArrayEquals(new long[]{784}, reconstruction.shape());
            assertInUnitRange(reconstruction);
        }
    }

    @Test
    void describesTheNetwork() {
        assertEquals(10, predictor.numClasses());
        assertEquals(16, predictor.capsuleDimension());
        assertEquals(28, predictor.imageHeight());
        assertEquals(28, predictor.imageWidth());
        assertEquals(1, predictor.imageChannels());
        assertTrue(predictor.hasDecoder());
    }

    @Test
    void workedOutImageSizeOfOtherNetworks() {
        CapsNetPredictor small = new CapsNetPredictor(CapsNetMnist.builder().inputShape(20, 24, 1).convolutionChannels(8)
                .primaryCapsules(2, 8).build().init());
        assertEquals(20, small.imageHeight());
        assertEquals(24, small.imageWidth());
        assertEquals(3, small.predict(Nd4j.rand(3, 480)).size());
    }

    @Test
    void flatImagesGiveTheSamePredictions() {
        List<Prediction> images = predictor.predict(digits);
        List<Prediction> flat = predictor.predict(digits.reshape(5, 784));
        for (int i = 0; i < 5; i++) {
            assertEquals(images.get(i).predictedClass(), flat.get(i).predictedClass());
            assertTrue(images.get(i).probabilities().equalsWithEps(flat.get(i).probabilities(), 1e-6));
        }
    }

    @Test
    void picturesOfTwiceTheSizeGiveTheSamePredictions() {
        INDArray first = digits.reshape(5, 784).getRow(0);
        Prediction fromPicture = predictor.predict(doubled(first.reshape(28, 28))).get(0);
        Prediction fromArray = predictor.predict(first.reshape(1, 784)).get(0);
        assertEquals(fromArray.predictedClass(), fromPicture.predictedClass());
        assertTrue(fromArray.probabilities().equalsWithEps(fromPicture.probabilities(), 1e-5));
        assertInUnitRange(fromPicture.probabilities());
    }

    @Test
    void reconstructionFromThePredictedCapsuleMatchesTheGraphs() {
        Prediction prediction = predictor.predict(digits).get(2);
        INDArray reconstruction = predictor.reconstructFromCapsule(prediction.capsule(), prediction.predictedClass());
        assertArrayEquals(new long[]{784}, reconstruction.shape());
        assertTrue(prediction.reconstruction().orElseThrow().equalsWithEps(reconstruction, 1e-5));
    }

    @Test
    void reconstructsPerturbedCapsules() {
        Prediction prediction = predictor.predict(digits).get(0);
        INDArray perturbed = prediction.capsule().dup();
        perturbed.putScalar(3, perturbed.getDouble(3) + 0.25);
        INDArray reconstruction = predictor.reconstructFromCapsule(perturbed, 7);
        assertArrayEquals(new long[]{784}, reconstruction.shape());
        assertInUnitRange(reconstruction);
        assertArrayEquals(new long[]{4, 784}, predictor.reconstructFromCapsules(Nd4j.rand(4, 16), 0).shape());
    }

    @Test
    void rejectsWrongShapesWithTheExpectedOne() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(Nd4j.rand(2, 28, 28)));
        assertTrue(error.getMessage().contains("[n, 1, 28, 28] or [n, 784]"), error.getMessage());
        assertTrue(error.getMessage().contains("[2, 28, 28]"), error.getMessage());
        assertTrue(error.getMessage().contains("reshape(1, 1, 28, 28)"), error.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> predictor.predict(Nd4j.rand(1, 1, 32, 32)));
        assertTrue(size.getMessage().contains("[1, 1, 32, 32]") && size.getMessage().contains("resize other image sizes to 28x28"),
                size.getMessage());
    }

    @Test
    void rejectsPixelValuesOutsideZeroToOne() {
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class, () -> predictor.predict(digits.mul(255)));
        assertTrue(bytes.getMessage().contains("0..1") && bytes.getMessage().contains("by 255"), bytes.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> predictor.predict(digits.sub(0.5)));
        assertTrue(negative.getMessage().contains("0..1") && negative.getMessage().contains("from -0.5")
                && negative.getMessage().contains("Fix: rescale them to 0..1"), negative.getMessage());
        INDArray withNaN = digits.dup();
        withNaN.putScalar(new long[]{0, 0, 3, 3}, Double.NaN);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> predictor.predict(withNaN));
        assertTrue(nan.getMessage().startsWith("1 pixel values are NaN or infinite") && nan.getMessage().contains("Fix:"),
                nan.getMessage());
    }

    @Test
    void rejectsBadCapsulesAndClasses() {
        IllegalArgumentException capsule = assertThrows(IllegalArgumentException.class,
                () -> predictor.reconstructFromCapsule(Nd4j.rand(1, 8), 0));
        assertTrue(capsule.getMessage().contains("A capsule has 16 values, got shape [1, 8]")
                && capsule.getMessage().contains("Prediction.capsule()"), capsule.getMessage());
        IllegalArgumentException digitClass = assertThrows(IllegalArgumentException.class,
                () -> predictor.reconstructFromCapsule(Nd4j.rand(1, 16), 10));
        assertEquals("digitClass must be 0..9, got 10", digitClass.getMessage());
    }

    @Test
    void withoutDecoderThereIsNoReconstruction() {
        CapsNetPredictor noDecoder = new CapsNetPredictor(TinyCapsNet.network(false));
        assertFalse(noDecoder.hasDecoder());
        Prediction prediction = noDecoder.predict(digits).get(0);
        assertFalse(prediction.reconstruction().isPresent());
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> noDecoder.reconstructFromCapsule(prediction.capsule(), prediction.predictedClass()));
        assertTrue(error.getMessage().contains("no decoder"), error.getMessage());
    }

    @Test
    void rejectsGraphsThatAreNotCapsNets() {
        ComputationGraph dense = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer(CapsNetGraph.LENGTHS, new OutputLayer.Builder().nIn(4).nOut(2).build(), "in")
                .setOutputs(CapsNetGraph.LENGTHS).build());
        dense.init();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new CapsNetPredictor(dense));
        assertTrue(error.getMessage().contains("Not a CapsNet"), error.getMessage());
    }

    /** A 56×56 grey picture of a 28×28 image, each pixel repeated 2×2. */
    static BufferedImage doubled(INDArray image) {
        BufferedImage picture = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                picture.getRaster().setSample(x, y, 0, Math.round(255 * image.getFloat(y / 2, x / 2)));
            }
        }
        return picture;
    }

    private static void assertInUnitRange(INDArray values) {
        assertTrue(values.minNumber().doubleValue() >= 0 && values.maxNumber().doubleValue() <= 1,
                "values outside 0..1: " + values.minNumber() + " .. " + values.maxNumber());
    }
}
