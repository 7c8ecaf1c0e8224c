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
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

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
        CommandLine cli = CapsNetCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void evaluatesASavedModelOnAnIdxDirectory() {
        assertEquals(0, run("evaluate", "--model", withDecoder.toString(), "--data-dir", smallData.toString(), "--batch-size", "25"),
                err.toString());
        assertTrue(out.toString().contains("Confusion Matrix"), out.toString());
        assertTrue(out.toString().contains("of 60 correct"), out.toString());
    }

    @Test
    void evaluateNamesAMissingModelFile() {
        int code = run("evaluate", "--model", models.resolve("missing.zip").toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("missing.zip") && err.toString().contains("does not exist"), err.toString());
    }

    @Test
    void evaluateRejectsAFileThatIsNoModel() throws Exception {
        Path text = Files.writeString(models.resolve("notes.txt"), "not a model", StandardCharsets.UTF_8);
        assertNotEquals(0, run("evaluate", "--model", text.toString()));
        assertTrue(err.toString().contains("notes.txt") && err.toString().contains("not a zip"), err.toString());
        Path zip = models.resolve("other.zip");
        try (ZipOutputStream archive = new ZipOutputStream(Files.newOutputStream(zip))) {
            archive.putNextEntry(new ZipEntry("readme.txt"));
            archive.write("no network here".getBytes(StandardCharsets.UTF_8));
        }
        assertNotEquals(0, run("evaluate", "--model", zip.toString()));
        assertTrue(err.toString().contains("other.zip") && err.toString().contains("could not be read"), err.toString());
    }

    @Test
    void predictsPicturesAndHeldOutExamples(@TempDir Path directory) throws Exception {
        BufferedImage picture = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);   // a black "1" on white paper
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 40);
        g.setColor(Color.BLACK);
        g.fillRect(18, 6, 5, 28);
        g.dispose();
        Path file = directory.resolve("one.png");
        ImageIO.write(picture, "png", file.toFile());
        assertEquals(0, run("predict", "--model", withDecoder.toString(), "--data-dir", smallData.toString(), "--index", "0,1",
                file.toString()), err.toString());
        String printed = out.toString();
        assertTrue(printed.contains("one.png: class "), printed);
        assertTrue(printed.contains("test #0 (label ") && printed.contains("test #1 (label "), printed);
        assertTrue(printed.contains(" 9:"), printed);                                  // every class's length
    }

    @Test
    void predictNeedsSomethingToClassifyAndReadablePictures(@TempDir Path directory) throws Exception {
        assertNotEquals(0, run("predict", "--model", withDecoder.toString()));
        assertTrue(err.toString().contains("Nothing to classify"), err.toString());
        Path notPicture = Files.writeString(directory.resolve("digit.png"), "text", StandardCharsets.UTF_8);
        assertNotEquals(0, run("predict", "--model", withDecoder.toString(), notPicture.toString()));
        assertTrue(err.toString().contains("digit.png"), err.toString());
        assertNotEquals(0, run("predict", "--model", withDecoder.toString(), "--data-dir", smallData.toString(),
                "--index", "60"));
        assertTrue(err.toString().contains("--index must be 0..59"), err.toString());
    }

    @Test
    void writesReconstructionAndPerturbationPictures(@TempDir Path output) throws Exception {
        assertEquals(0, run("reconstruct", "--model", withDecoder.toString(), "--data-dir", smallData.toString(),
                "--output", output.toString(), "--count", "4",
                "--digit-index", "3"), err.toString());
        BufferedImage reconstructions = ImageIO.read(output.resolve(ReconstructCommand.RECONSTRUCTIONS).toFile());
        BufferedImage perturbations = ImageIO.read(output.resolve(ReconstructCommand.PERTURBATIONS).toFile());
        assertEquals(4 * 56 + 3, reconstructions.getWidth());
        assertEquals(2 * 56 + 1, reconstructions.getHeight());
        assertEquals(11 * 56 + 10, perturbations.getWidth());
        assertEquals(16 * 56 + 15, perturbations.getHeight());
        assertTrue(out.toString().contains(output.resolve(ReconstructCommand.PERTURBATIONS).toString()), out.toString());
    }

    @Test
    void reconstructNeedsADecoder(@TempDir Path output) {
        assertNotEquals(0, run("reconstruct", "--model", withoutDecoder.toString(), "--output", output.toString()));
        assertTrue(err.toString().contains("no decoder"), err.toString());
    }
}
