package io.github.capsnet4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation split is the last twelfth of any IDX directory's training files; the test files stay whole. */
class SplitTest {

    @TempDir
    Path dir;

    @Test
    void validationIsTheLastTwelfthOfTheTrainingFiles() throws IOException {
        write(24, 5);
        IdxDataset train = IdxDataset.load(dir, Split.TRAIN, 10);
        IdxDataset validation = IdxDataset.load(dir, Split.VALIDATION, 10);
        assertEquals(22, train.size());
        assertEquals(2, validation.size());
        assertEquals(5, IdxDataset.load(dir, Split.TEST, 10).size());
        for (int i = 0; i < 22; i++) {
            assertEquals(i % 10, train.label(i));
            assertEquals(i, train.images().pixel(i, 0, 0));
        }
        assertEquals(22 % 10, validation.label(0));
        assertEquals(23, validation.images().pixel(1, 0, 0));
    }

    @Test
    void aTrainingFileTooSmallForAValidationSplitIsRefusedWithTheFix() throws IOException {
        write(11, 3);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxDataset.load(dir, Split.TRAIN, 10));
        assertTrue(e.getMessage().contains("the training file has only 11 examples, too few to set the last twelfth apart"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Fix: use a training file with at least 12 examples"), e.getMessage());
    }

    /** Training files with {@code trainCount} images (pixel (0,0) = index, label = index mod 10), test files with {@code testCount}. */
    private void write(int trainCount, int testCount) throws IOException {
        for (Split split : new Split[] {Split.TRAIN, Split.TEST}) {
            int count = split == Split.TRAIN ? trainCount : testCount;
            byte[] pixels = new byte[count * 4];
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                pixels[i * 4] = (byte) i;
                labels[i] = (byte) (i % 10);
            }
            IdxWriter.writeImages(dir.resolve(split.imagesFileName()), new IdxImages(count, 2, 2, pixels));
            IdxWriter.writeLabels(dir.resolve(split.labelsFileName()), new IdxLabels(labels));
        }
    }
}
