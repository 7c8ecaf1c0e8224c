package io.github.capsnet4j.data;

/**
 * A block of grey-scale images as stored in an IDX3 file: {@code count} images of
 * {@code rows x columns} unsigned bytes each (0 = background, 255 = full ink), row-major,
 * image after image.
 *
 * <p>Instances are immutable by convention: the pixel array is shared, not copied, so that a
 * 60,000-image file is held once.
 */
public final class IdxImages {

    private final int count;
    private final int rows;
    private final int columns;
    private final byte[] pixels;

    /**
     * @param count   number of images
     * @param rows    height of each image in pixels
     * @param columns width of each image in pixels
     * @param pixels  {@code count * rows * columns} unsigned bytes; kept, not copied
     */
    public IdxImages(int count, int rows, int columns, byte[] pixels) {
        if (count < 0 || rows < 1 || columns < 1) {
            throw new IllegalArgumentException(
                    "need count >= 0 and rows, columns >= 1, got " + count + " x " + rows + " x " + columns);
        }
        if (pixels.length != (long) count * rows * columns) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes do not hold "
                    + count + " images of " + rows + " x " + columns);
        }
        this.count = count;
        this.rows = rows;
        this.columns = columns;
        this.pixels = pixels;
    }

    public int count() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Pixels per image: {@code rows * columns}. */
    public int imageSize() {
        return rows * columns;
    }

    /** The grey value 0..255 of one pixel. */
    public int pixel(int image, int row, int column) {
        return pixels[image * imageSize() + row * columns + column] & 0xff;
    }

    /** The raw pixel bytes (shared, do not modify), as they appear in the file body. */
    public byte[] pixels() {
        return pixels;
    }

    /**
     * Writes one image into {@code dest} as floats scaled to 0..1, translated by
     * ({@code shiftRows}, {@code shiftColumns}) pixels: pixel (r, c) of the result is pixel
     * (r - shiftRows, c - shiftColumns) of the image, or 0 where that lies outside it (zero
     * padding, as in the CapsNet paper's augmentation). Shifts of 0 copy the image unchanged.
     *
     * @param image  index of the image
     * @param dest   destination buffer
     * @param offset where in {@code dest} the image's first pixel goes
     */
    public void copyScaled(int image, float[] dest, int offset, int shiftRows, int shiftColumns) {
        int source = image * imageSize();
        for (int r = 0; r < rows; r++) {
            int fromRow = r - shiftRows;
            for (int c = 0; c < columns; c++) {
                int fromColumn = c - shiftColumns;
                boolean inside = fromRow >= 0 && fromRow < rows && fromColumn >= 0 && fromColumn < columns;
                dest[offset + r * columns + c] = inside
                        ? (pixels[source + fromRow * columns + fromColumn] & 0xff) / 255f
                        : 0f;
            }
        }
    }
}
