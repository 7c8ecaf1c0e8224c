package io.github.capsnet4j.cli;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Reads one picture file for classification, refusing before decoding one whose header declares more than a
 * size limit: a few hundred kilobytes of PNG can declare gigapixels (a "decompression bomb"), and a digit needs
 * no more than a few hundred pixels a side. Every failure is an {@link IOException} naming the file, the
 * problem and the fix.
 */
final class Pictures {

    private Pictures() {
    }

    /**
     * The picture in {@code file}, decoded only if its header declares at most {@code maxPixels} pixels.
     *
     * @throws IOException if the file is missing, not a picture ImageIO knows, too large, or damaged
     */
    static BufferedImage read(Path file, long maxPixels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file. Fix: check the path.");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not a PNG, JPG, GIF or BMP image. Fix: convert it to PNG.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);                              // from the header; nothing decoded yet
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new IOException(String.format(Locale.ROOT, "%s: the picture is %d x %d pixels (%.1f megapixels), more"
                                    + " than the limit of %.1f megapixels. Fix: crop and scale it to the digit (a few hundred pixels"
                                    + " a side are plenty), or raise --max-megapixels.", file, width, height, width * height / 1e6,
                            maxPixels / 1e6));
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            throw new IOException(file + ": the picture cannot be decoded (" + e.getMessage() + "). Fix: re-save it as PNG.", e);
        }
    }
}
