package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.IdxImages;
import io.github.capsnet4j.data.IdxLabels;
import io.github.capsnet4j.data.IdxWriter;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.zoo.TinyCapsNet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluate, predict and reconstruct end to end, on small untrained CapsNets saved to disk. */
class InferenceCommandsTest {

    @TempDir
    static Path models;
    private static Path withDecoder;
    private static Path withoutDecoder;
    private static Path smallData;

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void saveModels() throws Exception {
        withDecoder = TinyCapsNet.saved(models, "tiny.zip", true);
        withoutDecoder = TinyCapsNet.saved(models, "tiny-no-decoder.zip", false);
        smallData = Files.createDirectories(models.resolve("small-mnist"));
        IdxDataset test = MnistData.official(Split.TEST);
        int count = 60;                                                   // the first 60 official test digits
        byte[] pixels = Arrays.copyOf(test.images().pixels(), count * 784);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) test.label(i);
        }
        IdxWriter.writeImages(smallData.resolve(Split.TEST.imagesFileName()), new IdxImages(count, 28, 28, pixels));
        IdxWriter.writeLabels(smallData.resolve(Split.TEST.labelsFileName()), new IdxLabels(labels));
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void evaluatesASavedModelOnAnIdxDirectory() {
        assertEquals(0, run("evaluate", "--model", withDecoder.toString(), "--data-dir", smallData.toString(), "--batch-size", "25"),
                cli.err());
        assertTrue(cli.out().contains("Confusion Matrix"), cli.out());
        assertTrue(cli.out().contains("of 60 correct"), cli.out());
    }

    @Test
    void evaluateNamesAMissingModelFile() {
        int code = run("evaluate", "--model", models.resolve("missing.zip").toString());
        assertNotEquals(0, code);
        assertTrue(cli.err().contains("missing.zip") && cli.err().contains("does not exist"), cli.err());
    }

    @Test
    void evaluateRejectsAFileThatIsNoModel() throws Exception {
        Path text = Files.writeString(models.resolve("notes.txt"), "not a model", StandardCharsets.UTF_8);
        assertNotEquals(0, run("evaluate", "--model", text.toString()));
        assertTrue(cli.err().contains("notes.txt") && cli.err().contains("not a zip"), cli.err());
        Path zip = models.resolve("other.zip");
        try (ZipOutputStream archive = new ZipOutputStream(Files.newOutputStream(zip))) {
            archive.putNextEntry(new ZipEntry("readme.txt"));
            archive.write("no network here".getBytes(StandardCharsets.UTF_8));
        }
        assertNotEquals(0, run("evaluate", "--model", zip.toString()));
        assertTrue(cli.err().contains("other.zip") && cli.err().contains("could not be read"), cli.err());
    }

    @Test
    void predictsPicturesAndHeldOutExamples(@TempDir Path directory) throws Exception {
        Path file = PredictRobustnessTest.blackOneOnWhite(directory.resolve("one.png"));
        assertEquals(0, run("predict", "--model", withDecoder.toString(), "--data-dir", smallData.toString(), "--index", "0,1",
                file.toString()), cli.err());
        String printed = cli.out();
        assertTrue(printed.contains("one.png: class "), printed);
        assertTrue(printed.contains("test #0 (label ") && printed.contains("test #1 (label "), printed);
        assertTrue(printed.contains(" 9:"), printed);                                  // every class's length
    }

    @Test
    void predictNeedsSomethingToClassifyAndReadablePictures(@TempDir Path directory) throws Exception {
        assertNotEquals(0, run("predict", "--model", withDecoder.toString()));
        assertTrue(cli.err().contains("Nothing to classify"), cli.err());
        Path notPicture = Files.writeString(directory.resolve("digit.png"), "text", StandardCharsets.UTF_8);
        assertNotEquals(0, run("predict", "--model", withDecoder.toString(), notPicture.toString()));
        assertTrue(cli.err().contains("digit.png"), cli.err());
        assertNotEquals(0, run("predict", "--model", withDecoder.toString(), "--data-dir", smallData.toString(),
                "--index", "60"));
        assertTrue(cli.err().contains("--index must be 0..59"), cli.err());
    }

    @Test
    void writesReconstructionAndPerturbationPictures(@TempDir Path output) throws Exception {
        assertEquals(0, run("reconstruct", "--model", withDecoder.toString(), "--data-dir", smallData.toString(),
                "--output", output.toString(), "--count", "4",
                "--digit-index", "3"), cli.err());
        BufferedImage reconstructions = ImageIO.read(output.resolve(ReconstructCommand.RECONSTRUCTIONS).toFile());
        BufferedImage perturbations = ImageIO.read(output.resolve(ReconstructCommand.PERTURBATIONS).toFile());
        assertEquals(4 * 56 + 3, reconstructions.getWidth());
        assertEquals(2 * 56 + 1, reconstructions.getHeight());
        assertEquals(11 * 56 + 10, perturbations.getWidth());
        assertEquals(16 * 56 + 15, perturbations.getHeight());
        assertTrue(cli.out().contains(output.resolve(ReconstructCommand.PERTURBATIONS).toString()), cli.out());
    }

    @Test
    void reconstructNeedsADecoder(@TempDir Path output) {
        assertNotEquals(0, run("reconstruct", "--model", withoutDecoder.toString(), "--output", output.toString()));
        assertTrue(cli.err().contains("no decoder"), cli.err());
    }
}
