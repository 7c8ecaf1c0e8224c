package io.github.capsnet4j.zoo;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DigitImagesTest {

    @Test
    void halvesAPictureOfTwiceTheSizeExactly() throws Exception {
        INDArray digit = TinyCapsNet.testDigits(1).reshape(28, 28);
        float[] pixels = DigitImages.toPixels(CapsNetPredictorTest.doubled(digit), 28, 28, DigitImages.Inversion.NEVER);
        assertArrayEquals(digit.reshape(784).toFloatVector(), pixels, 1e-6f);
    }

    @Test
    void autoInvertsDarkDigitsOnLightPaper() throws Exception {
        INDArray digit = TinyCapsNet.testDigits(1).reshape(28, 28);
        BufferedImage paper = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);   // black ink on white, in colour
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                int ink = 255 - Math.round(255 * digit.getFloat(y / 2, x / 2));
                paper.setRGB(x, y, new Color(ink, ink, ink).getRGB());
            }
        }
        assertArrayEquals(digit.reshape(784).toFloatVector(), DigitImages.toPixels(paper, 28, 28, DigitImages.Inversion.AUTO), 1e-6f);
        assertEquals(1f, DigitImages.toPixels(paper, 28, 28, DigitImages.Inversion.NEVER)[0], 1e-6f);
    }

    @Test
    void averagesAreasAndCompositesTransparencyOverWhite() {
        BufferedImage picture = new BufferedImage(4, 2, BufferedImage.TYPE_INT_ARGB);   // transparent: counts as white
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 2, 1);                                                          // the top half of the left 2x2 block black
        g.dispose();
        float[] pixels = DigitImages.toPixels(picture, 1, 2, DigitImages.Inversion.NEVER);
        assertArrayEquals(new float[]{0.5f, 1f}, pixels, 1e-6f);
        assertArrayEquals(new long[]{3, 1, 28, 28},
                DigitImages.toArray(28, 28, DigitImages.Inversion.AUTO, picture, picture, picture).shape());
    }
}
