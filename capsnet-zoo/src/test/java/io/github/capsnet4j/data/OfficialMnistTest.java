package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The official MNIST shipped in the jar is complete, split as {@link Split} documents, and unchanged. */
class OfficialMnistTest {

    /** Digits 0..9 in MNIST's 60,000-digit training file and its 10,000-digit test file (LeCun et al.). */
    private static final int[] TRAINING_FILE_PER_DIGIT = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] TEST_PER_DIGIT = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private static IdxDataset train;
    private static IdxDataset validation;
    private static IdxDataset test;

    @BeforeAll
    static void load() throws IOException {
        train = MnistData.official(Split.TRAIN);
        validation = MnistData.official(Split.VALIDATION);
        test = MnistData.official(Split.TEST);
    }

    @Test
    void thereAre55000TrainingAnd5000ValidationAnd10000TestDigitsOf28x28Pixels() {
        assertEquals(55_000, train.size());
        assertEquals(5_000, validation.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.rows());
        assertEquals(28, test.columns());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.labelNames());
    }

    @Test
    void trainAndValidationTogetherAreTheTrainingFileAndTestIsTheOfficialTestSet() {
        int[] trainCounts = train.classCounts();
        int[] validationCounts = validation.classCounts();
        for (int d = 0; d < 10; d++) {
            assertEquals(TRAINING_FILE_PER_DIGIT[d], trainCounts[d] + validationCounts[d], "digit " + d);
            assertTrue(validationCounts[d] > 400, "every digit is in the validation split: " + validationCounts[d]);
        }
        assertArrayEquals(TEST_PER_DIGIT, test.classCounts());
    }

    @Test
    void validationDigitsAreNotTrainingDigits() {
        Set<ByteBuffer> validationImages = new HashSet<>();
        for (int i = 0; i < validation.size(); i++) {
            validationImages.add(image(validation, i));
        }
        int shared = 0;
        for (int i = 0; i < train.size(); i++) {
            shared += validationImages.contains(image(train, i)) ? 1 : 0;
        }
        assertEquals(0, shared, "training images that are also validation images");
    }

    @Test
    void featuresAreGreyValuesBetween0And1() {
        INDArray features = test.head(1000).toDataSet().getFeatures();
        assertEquals(0.0, features.minNumber().doubleValue());
        assertEquals(1.0, features.maxNumber().doubleValue());
        double mean = features.meanNumber().doubleValue();
        assertTrue(mean > 0.1 && mean < 0.15, "MNIST's mean grey value is about 0.13, got " + mean);
        Set<Integer> greyLevels = new HashSet<>();
        for (byte b : test.images().pixels()) {
            greyLevels.add(b & 0xff);
        }
        assertEquals(256, greyLevels.size(), "grey scale, not binarised");
    }

    @Test
    void theShippedFilesMatchTheChecksumsInProvenance() throws IOException {
        String provenance = new String(resource("PROVENANCE.md").readAllBytes(), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("\\| ([a-z0-9-]+)\\.gz \\| [\\d,]+ \\| ([0-9a-f]{64}) \\| ([0-9a-f]{64}) \\|").matcher(provenance);
        Map<String, String> sums = sha256sums();
        int files = 0;
        while (row.find()) {
            assertEquals(row.group(2), Checksums.sha256(resource(row.group(1) + ".gz").readAllBytes()), row.group(1) + ".gz");
            assertEquals(row.group(3), sums.get(row.group(1)), "SHA256SUMS agrees with PROVENANCE.md on " + row.group(1));
            files++;
        }
        assertEquals(4, files, "PROVENANCE.md lists checksums for each of the four files");
        assertEquals(4, sums.size());
    }

    @Test
    void aCorruptGzipFileIsRefusedWithTheFix() {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistData.verified(
                new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}), "mnist/x.gz", "00"));
        assertTrue(e.getMessage().startsWith("mnist/x.gz: the gzip data is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: use an unmodified capsnet-zoo jar"), e.getMessage());
    }

    @Test
    void aChangedFileIsRefusedByItsChecksum() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 0});                  // a valid, empty IDX labels file
        }
        String expected = sha256sums().get("t10k-labels-idx1-ubyte");
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistData.verified(
                new ByteArrayInputStream(bytes.toByteArray()), "mnist/t10k-labels-idx1-ubyte.gz", expected));
        assertTrue(e.getMessage().contains("but mnist/SHA256SUMS expects " + expected), e.getMessage());
    }

    private static Map<String, String> sha256sums() throws IOException {
        Map<String, String> sums = new HashMap<>();
        for (String line : new String(resource("SHA256SUMS").readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
            String[] fields = line.split("\\s+");
            sums.put(fields[1], fields[0]);
        }
        return sums;
    }

    private static ByteBuffer image(IdxDataset data, int index) {
        int size = data.images().imageSize();
        return ByteBuffer.wrap(data.images().pixels(), index * size, size).slice();
    }

    private static InputStream resource(String name) {
        return MnistData.class.getResourceAsStream("mnist/" + name);
    }
}
