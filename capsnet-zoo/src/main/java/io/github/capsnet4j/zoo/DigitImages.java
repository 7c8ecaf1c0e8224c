package io.github.capsnet4j.zoo;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Turns ordinary pictures (any size, colour or grey, PNG/JPG as read by {@code ImageIO}) into network input
 * in MNIST's convention: one grey channel, values 0..1, a WHITE digit (1) on a BLACK background (0).
 *
 * <p>Steps: (1) grey levels, compositing transparent pixels over the background the digit is not: over black
 * if the visible (opaque) pixels are bright on average, e.g. a white digit on a transparent background, else over
 * white; (2) area-average resampling to the
 * network's size (a stretch: crop non-square pictures to the digit first; MNIST digits fill about the central
 * 20×20 of 28×28, so leave some margin); (3) inversion, if asked or, with {@link Inversion#AUTO}, if the
 * picture's border is mostly bright, i.e. a dark digit on light paper.
 */
public final class DigitImages {

    /** Whether to turn black-on-white pictures into MNIST's white-on-black. */
    public enum Inversion {
        /** Invert when the border of the resized picture averages brighter than mid-grey. */
        AUTO,
        /** Always invert: the pictures are dark digits on a light background. */
        ALWAYS,
        /** Never invert: the pictures already are light digits on a dark background, as MNIST. */
        NEVER
    }

    private DigitImages() {
    }

    /** The pictures as a {@code [n, 1, height, width]} float array in 0..1, white digit on black. */
    public static INDArray toArray(int height, int width, Inversion inversion, BufferedImage... images) {
        float[] pixels = new float[images.length * height * width];
        for (int i = 0; i < images.length; i++) {
            float[] one = toPixels(images[i], height, width, inversion);
            System.arraycopy(one, 0, pixels, i * one.length, one.length);
        }
        return Nd4j.create(pixels, new long[]{images.length, 1, height, width}, DataType.FLOAT);
    }

    /** One picture as {@code height·width} row-major grey values in 0..1, white digit on black. */
    public static float[] toPixels(BufferedImage image, int height, int width, Inversion inversion) {
        float[] grey = resample(grey(image), image.getHeight(), image.getWidth(), height, width);
        boolean invert = inversion == Inversion.ALWAYS
                || (inversion == Inversion.AUTO && borderMean(grey, height, width) > 0.5);
        if (invert) {
            for (int i = 0; i < grey.length; i++) {
                grey[i] = 1f - grey[i];
            }
        }
        return grey;
    }

    /**
     * Grey levels in 0..1 (1 = white), transparency composited as the class comment says. Grey images are read
     * from their raster: {@code getRGB} would apply Java's linear-to-sRGB conversion to them and brighten every
     * mid-tone.
     */
    static float[] grey(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        float[] grey = new float[height * width];
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY) {
            Raster raster = image.getRaster();
            float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    grey[y * width + x] = raster.getSample(x, y, 0) / max;
                }
            }
            return grey;
        }
        float[] alpha = new float[height * width];
        double visible = 0;
        double visibleLuma = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                int i = y * width + x;
                alpha[i] = (argb >>> 24) / 255f;
                grey[i] = (0.299f * (argb >> 16 & 0xff) + 0.587f * (argb >> 8 & 0xff) + 0.114f * (argb & 0xff)) / 255f;
                visible += alpha[i];
                visibleLuma += alpha[i] * grey[i];
            }
        }
        float background = visible > 0 && visibleLuma / visible > 0.5 ? 0f : 1f;   // the opposite of what is drawn
        for (int i = 0; i < grey.length; i++) {
            grey[i] = alpha[i] * grey[i] + (1 - alpha[i]) * background;
        }
        return grey;
    }

    /**
     * Box-filter resampling: each target pixel is the area-weighted mean of the source pixels it covers, so
     * downscaling by an integer factor averages whole blocks and upscaling repeats pixels.
     */
    static float[] resample(float[] source, int sourceHeight, int sourceWidth, int height, int width) {
        if (sourceHeight == height && sourceWidth == width) {
            return source.clone();
        }
        double scaleY = (double) sourceHeight / height;
        double scaleX = (double) sourceWidth / width;
        float[] target = new float[height * width];
        for (int y = 0; y < height; y++) {
            double top = y * scaleY;
            double bottom = top + scaleY;
            for (int x = 0; x < width; x++) {
                double left = x * scaleX;
                double right = left + scaleX;
                double sum = 0;
                for (int sy = (int) top; sy < Math.min(sourceHeight, Math.ceil(bottom)); sy++) {
                    double coverY = Math.min(bottom, sy + 1) - Math.max(top, sy);   // overlap of source row sy
                    for (int sx = (int) left; sx < Math.min(sourceWidth, Math.ceil(right)); sx++) {
                        double coverX = Math.min(right, sx + 1) - Math.max(left, sx);
                        sum += coverY * coverX * source[sy * sourceWidth + sx];
                    }
                }
                target[y * width + x] = (float) Math.min(1, sum / (scaleY * scaleX));   // rounding may pass 1 by an ulp
            }
        }
        return target;
    }

    /** Mean of the outermost ring of pixels. */
    static double borderMean(float[] grey, int height, int width) {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1) {
                    sum += grey[y * width + x];
                    count++;
                }
            }
        }
        return sum / count;
    }
}
