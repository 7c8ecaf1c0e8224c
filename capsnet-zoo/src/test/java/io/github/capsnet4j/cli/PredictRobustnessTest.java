package io.github.capsnet4j.cli;

import io.github.capsnet4j.zoo.TinyCapsNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code predict} on bad input: every picture is classified or reported on its own (a decompression bomb is
 * refused from its header, before decoding), and a network with a NaN weight is refused instead of printing
 * "class 0 (NaN)".
 */
class PredictRobustnessTest {

    @TempDir
    static Path dir;
    private static Path model;

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void saveModel() throws Exception {
        model = TinyCapsNet.saved(dir, "tiny.zip", true);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void eachPictureIsClassifiedOrReportedOnItsOwn() throws IOException {
        Path one = blackOneOnWhite(dir.resolve("one.png"));
        Path bomb = Files.write(dir.resolve("bomb.png"), pngBomb(40_000, 40_000));
        Path text = Files.writeString(dir.resolve("text.png"), "not a picture", StandardCharsets.UTF_8);
        Path missing = dir.resolve("missing.png");
        Path two = blackOneOnWhite(dir.resolve("two.png"));
        int code = run("predict", "--model", model.toString(), one.toString(), bomb.toString(), text.toString(), missing.toString(),
                two.toString());
        assertEquals(CliErrors.USER_ERROR, code, cli.err());
        assertTrue(cli.out().contains("one.png: class ") && cli.out().contains("two.png: class "), cli.out());
        assertTrue(cli.err().contains("bomb.png: the picture is 40000 x 40000 pixels (1600.0 megapixels), more than the limit"),
                cli.err());
        assertTrue(cli.err().contains("text.png: not a PNG, JPG, GIF or BMP image"), cli.err());
        assertTrue(cli.err().contains("missing.png: no such file"), cli.err());
        assertTrue(cli.err().contains("3 of 5 inputs could not be classified"), cli.err());
        assertFalse(cli.err().contains("\tat "), "no stack trace: " + cli.err());
    }

    @Test
    void aNetworkWithANaNWeightIsRefused() throws IOException {
        ComputationGraph network = TinyCapsNet.network(true);
        network.params().putScalar(17, Double.NaN);
        Path broken = dir.resolve("nan.zip");
        ModelSerializer.writeModel(network, broken.toFile(), false);
        int code = run("predict", "--model", broken.toString(), blackOneOnWhite(dir.resolve("three.png")).toString());
        assertEquals(CliErrors.USER_ERROR, code);
        assertTrue(cli.err().contains("has 1 NaN or infinite weights"), cli.err());
        assertFalse(cli.out().contains("NaN"), cli.out());
    }

    /** Writes a black "1" on white paper, 40x40 pixels, as PNG to {@code file}. */
    static Path blackOneOnWhite(Path file) throws IOException {
        BufferedImage picture = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 40);
        g.setColor(Color.BLACK);
        g.fillRect(18, 6, 5, 28);
        g.dispose();
        ImageIO.write(picture, "png", file.toFile());
        return file;
    }

    /**
     * A small PNG whose header declares {@code width x height} RGBA pixels, with the compressed zeros of its first
     * 64 rows: decoding it would need width·height·4 bytes.
     */
    static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream fields = new DataOutputStream(header);
        fields.writeInt(width);
        fields.writeInt(height);
        fields.write(new byte[]{8, 6, 0, 0, 0});                                  // 8 bits, RGBA, deflate, no filter, no interlace
        chunk(png, "IHDR", header.toByteArray());
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(rows, new Deflater(9))) {
            deflate.write(new byte[64 * (1 + 4 * width)]);
        }
        chunk(png, "IDAT", rows.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
