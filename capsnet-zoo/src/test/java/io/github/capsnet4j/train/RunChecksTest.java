package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.IdxImages;
import io.github.capsnet4j.data.IdxLabels;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What would fail after an epoch, or silently, is refused before the first training step, with nothing
 * written: empty data, splits of different image sizes or classes, a network built for other data, a max
 * shift beyond the image, a folder that cannot be written or lacks room; and a diverged loss never
 * overwrites the last good checkpoint.
 */
class RunChecksTest {

    @TempDir
    Path runs;

    @Test
    void anEmptyTrainingSetIsRefused() throws IOException {
        IdxDataset empty = IdxDataset.of(new IdxImages(0, 28, 28, new byte[0]), new IdxLabels(new byte[0]), 10, "no digits");
        assertRefusedBeforeAnythingIsWritten(Digits::smallCapsNet, empty, Digits.test(8), 0, "training split is empty", "NaN");
    }

    @Test
    void anEmptyTestSplitIsRefused() throws IOException {
        IdxDataset empty = IdxDataset.of(new IdxImages(0, 28, 28, new byte[0]), new IdxLabels(new byte[0]), 10, "no digits");
        assertRefusedBeforeAnythingIsWritten(Digits::smallCapsNet, Digits.train(8), empty, 0, "test split is empty");
    }

    @Test
    void testImagesOfAnotherSizeAreRefused() throws IOException {
        IdxDataset small = IdxDataset.of(new IdxImages(2, 14, 14, new byte[2 * 14 * 14]), new IdxLabels(new byte[2]), 10, "14x14");
        assertRefusedBeforeAnythingIsWritten(Digits::smallCapsNet, Digits.train(8), small, 0,
                "test images are 14x14 pixels but the training images 28x28");
    }

    @Test
    void aNetworkForOtherImagesOrClassesIsRefused() {
        assertRefusedBeforeAnythingIsWritten(() -> CapsNetMnist.builder().convolutionChannels(8).primaryCapsules(2, 8)
                        .inputShape(32, 32, 1).build().init(), Digits.train(8), null, 0,
                "network takes 32x32x1 images of 10 classes but the data has 28x28x1 images of 10 classes");
        assertRefusedBeforeAnythingIsWritten(() -> CapsNetMnist.builder().convolutionChannels(8).primaryCapsules(2, 8)
                        .numClasses(5).build().init(), Digits.train(8), null, 0, "of 5 classes but the data has");
    }

    @Test
    void aMaxShiftBeyondTheImageIsRefused() {
        assertRefusedBeforeAnythingIsWritten(Digits::smallCapsNet, Digits.train(8), null, 28, "max shift of 28 pixels", "0..27");
    }

    private void assertRefusedBeforeAnythingIsWritten(Supplier<ComputationGraph> network, IdxDataset train, IdxDataset test,
                                                      int maxShift, String... expected) {
        Path run = runs.resolve("run");
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(run, 8, 1, maxShift).train(network, train, null, test, 1, false));
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
        assertFalse(Files.exists(run.resolve(Trainer.CHECKPOINT)), "no checkpoint written");
    }

    @Test
    void aFolderThatCannotBeWrittenIsRefused() throws IOException {
        Path file = Files.writeString(runs.resolve("a-file"), "not a folder");
        TrainingException underAFile = assertThrows(TrainingException.class,
                () -> new Trainer(file.resolve("run"), 8, 1, 0).train(Digits::smallCapsNet, Digits.train(8), null, 1, false));
        assertTrue(underAFile.getMessage().contains("Cannot write into the run folder") && underAFile.getMessage().contains("Fix:"),
                underAFile.getMessage());
        TrainingException aFile = assertThrows(TrainingException.class,
                () -> new Trainer(file, 8, 1, 0).train(Digits::smallCapsNet, Digits.train(8), null, 1, false));
        assertTrue(aFile.getMessage().contains("is a file, not a folder"), aFile.getMessage());
    }

    @Test
    void aDiskWithoutRoomForTheNextCheckpointIsRefused() throws IOException {
        try (RunFolder folder = RunFolder.open(runs.resolve("run"))) {
            folder.checkRoom(1000);
            long free = Files.getFileStore(runs).getUsableSpace();
            TrainingException e = assertThrows(TrainingException.class, () -> folder.checkRoom(free));
            assertTrue(e.getMessage().contains("MB free, but the run needs about") && e.getMessage().contains("Fix:"), e.getMessage());
        }
    }

    @Test
    void aDivergedLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = runs.resolve("run");
        Supplier<ComputationGraph> breaksAtStepThree = () -> {
            ComputationGraph network = Digits.smallCapsNet();
            network.addListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (iteration == 2) {
                        model.params().assign(Double.NaN);                                // as if training blew up
                    }
                }
            });
            return network;
        };
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(run, 8, 1, 0)
                .checkpointEvery(java.time.Duration.ZERO).train(breaksAtStepThree, Digits.train(48), null, 1, false));
        assertTrue(e.getMessage().contains("diverged at step 3 of epoch 1") && e.getMessage().contains("not finite"), e.getMessage());
        Path kept = run.resolve(Trainer.CHECKPOINT);
        assertEquals(2, Checkpoint.state(kept).progress.steps, "the checkpoint after step 2, the last one with finite weights");
        assertTrue(RunChecks.finite(Checkpoint.network(kept).params()));
    }
}
