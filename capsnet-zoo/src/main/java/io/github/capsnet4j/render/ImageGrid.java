package io.github.capsnet4j.render;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Lays out grey images as one picture: a grid of {@code columns} cells per row, filled row by row, each image
 * enlarged {@code scale} times (pixel repetition) and cells parted by a mid-grey line of {@code separator}
 * pixels. Values 0..1 become grey levels 0..255 (MNIST: white digit on black); cells past the last image stay
 * grey. The picture is {@code TYPE_BYTE_GRAY} of width {@code columns·side·scale + (columns-1)·separator}.
 */
public final class ImageGrid {

    /** Grey of separators and empty cells: visible against both the black background and white strokes. */
    private static final int SEPARATOR_GREY = 128;

    private final int columns;
    private final int scale;
    private final int separator;

    /** A grid of {@code columns} cells per row, images at their own size, 1-pixel separators. */
    public ImageGrid(int columns) {
        this(columns, 1, 1);
    }

    public ImageGrid(int columns, int scale, int separator) {
        if (columns < 1 || scale < 1 || separator < 0) {
            throw new IllegalArgumentException("ImageGrid needs columns >= 1, scale >= 1 and separator >= 0, got "
                    + columns + ", " + scale + ", " + separator);
        }
        this.columns = columns;
        this.scale = scale;
        this.separator = separator;
    }

    /**
     * The grid of {@code images}: {@code [n, 1, height, width]}, {@code [n, height, width]} or flattened square
     * images {@code [n, side·side]} (e.g. {@code [n, 784]}), values in 0..1 (clamped).
     */
    public BufferedImage render(INDArray images) {
        int[] size = imageSize(images);
        int height = size[0];
        int width = size[1];
        int count = (int) images.size(0);
        float[] pixels = images.castTo(DataType.FLOAT).dup('c').data().asFloat();   // a contiguous copy, row-major
        int rows = Math.max(1, (count + columns - 1) / columns);
        int cellWidth = width * scale;
        int cellHeight = height * scale;
        BufferedImage picture = new BufferedImage(columns * cellWidth + (columns - 1) * separator,
                rows * cellHeight + (rows - 1) * separator, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = picture.getRaster();
        int[] background = new int[picture.getWidth() * picture.getHeight()];
        Arrays.fill(background, SEPARATOR_GREY);
        raster.setSamples(0, 0, picture.getWidth(), picture.getHeight(), 0, background);
        for (int i = 0; i < count; i++) {
            int left = (i % columns) * (cellWidth + separator);
            int top = (i / columns) * (cellHeight + separator);
            for (int y = 0; y < cellHeight; y++) {
                for (int x = 0; x < cellWidth; x++) {
                    float value = pixels[i * height * width + (y / scale) * width + x / scale];
                    raster.setSample(left + x, top + y, 0, Math.round(255 * Math.max(0f, Math.min(1f, value))));
                }
            }
        }
        return picture;
    }

    /** {@code {height, width}} of one image. */
    private static int[] imageSize(INDArray images) {
        if (images.rank() == 4 && images.size(1) == 1) {
            return new int[]{(int) images.size(2), (int) images.size(3)};
        }
        if (images.rank() == 3) {
            return new int[]{(int) images.size(1), (int) images.size(2)};
        }
        if (images.rank() == 2) {
            int side = (int) Math.round(Math.sqrt(images.size(1)));
            if ((long) side * side == images.size(1)) {
                return new int[]{side, side};
            }
        }
        throw new IllegalArgumentException("Expected grey images [n, 1, height, width], [n, height, width] or square ones flattened"
                + " to [n, side*side] (e.g. [n, 784]), but got " + Arrays.toString(images.shape()) + ".");
    }

    /** Writes {@code picture} as a PNG, creating the parent directories. */
    public static void writePng(BufferedImage picture, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(picture, "png", file.toFile())) {
            throw new IOException("No PNG writer for " + file + " (ImageIO has none for this image type)");
        }
    }
}
