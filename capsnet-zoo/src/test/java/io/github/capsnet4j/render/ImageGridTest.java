package io.github.capsnet4j.render;

import io.github.capsnet4j.zoo.CapsNetPredictor;
import io.github.capsnet4j.zoo.TinyCapsNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageGridTest {

    @Test
    void writesAGridOfTheExpectedSize(@TempDir Path directory) throws Exception {
        INDArray images = Nd4j.zeros(3, 784);
        images.putScalar(0, 0, 1.0);                                      // top-left pixel of the first image white
        Path file = directory.resolve("sub/grid.png");
        ImageGrid.writePng(new ImageGrid(2, 2, 1).render(images), file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(2 * 56 + 1, read.getWidth());
        assertEquals(2 * 56 + 1, read.getHeight());
        assertEquals(255, read.getRaster().getSample(1, 1, 0));           // scaled 2x: pixels (0..1, 0..1)
        assertEquals(0, read.getRaster().getSample(2, 2, 0));
        assertEquals(128, read.getRaster().getSample(56, 0, 0));          // the separator
        assertEquals(128, read.getRaster().getSample(60, 60, 0));         // the empty fourth cell
    }

    @Test
    void acceptsImageShapesAndRejectsOthers() {
        assertEquals(28, new ImageGrid(1).render(Nd4j.rand(1, 1, 28, 28)).getWidth());
        assertEquals(3 * 20 + 2, new ImageGrid(3).render(Nd4j.rand(3, 20, 20)).getWidth());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2).render(Nd4j.rand(2, 100 + 1)));
        assertTrue(shape.getMessage().startsWith("Expected grey images") && shape.getMessage().contains("but got [2, 101]"),
                shape.getMessage());
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class, () -> new ImageGrid(0));
        assertTrue(columns.getMessage().startsWith("ImageGrid needs columns >= 1") && columns.getMessage().contains("got 0, "),
                columns.getMessage());
    }

    @Test
    void reconstructionGridPutsReconstructionsBelowInputs() {
        INDArray inputs = Nd4j.ones(12, 784);
        INDArray reconstructions = Nd4j.zeros(12, 784);
        BufferedImage grid = Figures.reconstructionGrid(inputs, reconstructions);
        assertEquals(10 * 56 + 9, grid.getWidth());                       // 10 per row, 2x enlarged
        assertEquals(4 * 56 + 3, grid.getHeight());                       // inputs, reconstructions, inputs, reconstructions
        assertEquals(255, grid.getRaster().getSample(10, 10, 0));
        assertEquals(0, grid.getRaster().getSample(10, 57 + 10, 0));
        assertEquals(255, grid.getRaster().getSample(57 + 10, 2 * 57 + 10, 0));     // the 12th input
        assertEquals(0, grid.getRaster().getSample(2 * 57 + 10, 2 * 57 + 10, 0));   // padding after it
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Figures.reconstructionGrid(inputs, Nd4j.zeros(11, 784)));
        assertTrue(count.getMessage().contains("inputs [12, 784] and reconstructions [11, 784]"), count.getMessage());
    }

    @Test
    void perturbationGridHasARowPerDimensionAndAColumnPerOffset() {
        CapsNetPredictor predictor = new CapsNetPredictor(TinyCapsNet.network(true));
        BufferedImage grid = Figures.perturbationGrid(predictor, Nd4j.rand(16).mul(0.1), 3);
        assertEquals(11 * 56 + 10, grid.getWidth());
        assertEquals(16 * 56 + 15, grid.getHeight());
        assertEquals(11, Figures.PERTURBATIONS.length);
        assertEquals(-0.25, Figures.PERTURBATIONS[0], 1e-12);
        assertEquals(0.0, Figures.PERTURBATIONS[5], 0.0);
        assertEquals(0.25, Figures.PERTURBATIONS[10], 1e-12);
    }
}
