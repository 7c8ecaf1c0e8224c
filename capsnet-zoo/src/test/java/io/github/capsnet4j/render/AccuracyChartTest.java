package io.github.capsnet4j.render;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accuracy chart draws each series in its own colour, leaves out missing values and refuses a fourth series. */
class AccuracyChartTest {

    private static final int VALIDATION_BLUE = 0x1f77b4;
    private static final int TEST_RED = 0xd62728;

    private static int pixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void eachSeriesIsDrawnInItsColour() {
        BufferedImage image = new AccuracyChart("run").series("validation", new double[]{0.9872, 0.9896, 0.9916, 0.9928})
                .series("test", new double[]{0.9866, 0.9889, 0.9913, 0.9928}).render();
        assertEquals(720, image.getWidth());
        assertEquals(420, image.getHeight());
        assertTrue(pixels(image, VALIDATION_BLUE) > 200, "the validation line");
        assertTrue(pixels(image, TEST_RED) > 200, "the test line");
    }

    @Test
    void missingValuesAreLeftOut() {
        BufferedImage image = new AccuracyChart("no test split").series("validation", new double[]{0.5, 0.7})
                .series("test", new double[]{Double.NaN, Double.NaN}).render();
        assertTrue(pixels(image, VALIDATION_BLUE) > 200, "the validation line");
        assertTrue(pixels(image, TEST_RED) <= 64, "only the legend's 16×4 mark of the test series");
    }

    @Test
    void anEmptyRunGivesAnEmptyFrame() {
        BufferedImage image = new AccuracyChart("nothing yet").series("validation", new double[0]).render();
        assertTrue(pixels(image, VALIDATION_BLUE) < 100, "only the legend's mark");
    }

    @Test
    void atMostThreeSeries() {
        AccuracyChart chart = new AccuracyChart("full").series("a", new double[]{1}).series("b", new double[]{1})
                .series("c", new double[]{1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chart.series("d", new double[]{1}));
        assertTrue(e.getMessage().contains("at most 3 series"), e.getMessage());
    }
}
