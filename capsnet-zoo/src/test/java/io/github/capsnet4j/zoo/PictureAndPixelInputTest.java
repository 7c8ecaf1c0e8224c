package io.github.capsnet4j.zoo;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transparent pictures keep their digit whatever its colour (it is composited over the background it is not),
 * and NaN pixels in an input array are reported as NaN, not as a value range to rescale.
 */
class PictureAndPixelInputTest {

    /** A 28x28 transparent picture with an opaque bar of {@code ink} in columns 12..15. */
    private static BufferedImage barOnTransparent(Color ink) {
        BufferedImage picture = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(ink);
        g.fillRect(12, 4, 4, 20);
        g.dispose();
        return picture;
    }

    @Test
    void aWhiteDigitOnATransparentBackgroundStaysVisible() {
        for (DigitImages.Inversion inversion : new DigitImages.Inversion[]{DigitImages.Inversion.AUTO, DigitImages.Inversion.NEVER}) {
            float[] pixels = DigitImages.toPixels(barOnTransparent(Color.WHITE), 28, 28, inversion);
            assertEquals(1f, pixels[10 * 28 + 13], 1e-6f, inversion + ": the digit is white");
            assertEquals(0f, pixels[10 * 28 + 2], 1e-6f, inversion + ": on black, as in MNIST");
        }
    }

    @Test
    void aBlackDigitOnATransparentBackgroundIsInvertedAsOnPaper() {
        float[] pixels = DigitImages.toPixels(barOnTransparent(Color.BLACK), 28, 28, DigitImages.Inversion.AUTO);
        assertEquals(1f, pixels[10 * 28 + 13], 1e-6f);
        assertEquals(0f, pixels[10 * 28 + 2], 1e-6f);
    }

    @Test
    void aNaNPixelIsReportedAsSuch() throws Exception {
        CapsNetPredictor predictor = new CapsNetPredictor(TinyCapsNet.network(false));
        INDArray digits = TinyCapsNet.testDigits(2);
        digits.putScalar(new long[]{1, 0, 3, 3}, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(digits));
        assertTrue(e.getMessage().contains("1 pixel values are NaN or infinite"), e.getMessage());
        assertFalse(e.getMessage().contains("255"), "not a range problem: " + e.getMessage());
    }
}
