package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.zoo.CapsNetEvaluator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static io.github.capsnet4j.testing.Identical.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a few hundred real digits: a complete (smaller) CapsNet with decoder learns far beyond chance,
 * its loss falls, both held-out splits are evaluated every epoch, and a run interrupted after an epoch or in the
 * middle of one and resumed ends exactly where an uninterrupted run ends.
 */
class TrainerTest {

    @Test
    void aFewEpochsOnSixHundredDigitsBeatChanceByFar(@TempDir Path run) throws IOException {
        IdxDataset test = Digits.test(300);
        Trainer.Result result = new Trainer(run, 32, 7, 0).train(Digits::smallCapsNet, Digits.train(600), Digits.validation(200),
                test, 4, false);
        TrainingState state = result.state();
        assertEquals(4, state.epochsDone());
        double firstLoss = state.epochs.get(0).meanLoss;
        double lastLoss = state.epochs.get(3).meanLoss;
        assertTrue(lastLoss < 0.6 * firstLoss, "loss falls clearly: " + firstLoss + " -> " + lastLoss);
        double accuracy = CapsNetEvaluator.evaluate(result.network(), test, 100).accuracy();
        assertEquals(accuracy, state.lastEpoch().testAccuracy, 1e-9, "the recorded test accuracy");
        assertTrue(accuracy > 0.6, "held-out accuracy " + accuracy + " (chance: 0.1)");
        assertTrue(state.lastEpoch().validationAccuracy > 0.6, "validation accuracy " + state.lastEpoch().validationAccuracy);
        assertTrue(Files.exists(run.resolve(Trainer.MODEL)) && Files.exists(run.resolve(Trainer.CHECKPOINT)));
        TrainingState saved = Checkpoint.state(run.resolve(Trainer.CHECKPOINT));
        assertEquals(4, saved.epochsDone(), "the checkpoint holds the state of its weights");
        assertEquals(state.lastEpoch().validationAccuracy, saved.lastEpoch().validationAccuracy);
        BufferedImage chart = ImageIO.read(run.resolve(Trainer.ACCURACY_CHART).toFile());
        assertNotNull(chart, "accuracy.png is a PNG");
        assertEquals(720, chart.getWidth());
    }

    @Test
    void resumingAfterAnInterruptionContinuesFromTheCheckpoint(@TempDir Path straight, @TempDir Path interrupted)
            throws IOException {
        IdxDataset few = Digits.train(96);
        ComputationGraph uninterrupted = new Trainer(straight, 32, 3, 2).train(Digits::smallCapsNet, few, null, 2, false).network();
        new Trainer(interrupted, 32, 3, 2).train(Digits::smallCapsNet, few, null, 1, false);   // "killed" after epoch 1
        Trainer.Result resumed = new Trainer(interrupted, 32, 3, 2).train(Digits::smallCapsNet, few, null, 2, true);
        assertEquals(2, resumed.state().epochsDone());
        assertIdentical(uninterrupted.params(), resumed.network().params(), "same weights as the uninterrupted run");
    }

    @Test
    void stoppedInTheMiddleOfAnEpochAndResumedEndsBitIdentical(@TempDir Path straight, @TempDir Path interrupted)
            throws IOException {
        IdxDataset few = Digits.train(160);                                               // 5 steps per epoch
        Trainer.Result uninterrupted = new Trainer(straight, 32, 3, 2).train(Digits::smallCapsNet, few, null, null, 2, false);
        Trainer stopping = new Trainer(interrupted, 32, 3, 2);
        assertThrows(TrainingStoppedException.class, () -> stopping.train(() -> {
            ComputationGraph network = Digits.smallCapsNet();
            network.addListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    if (iteration == 7) {                                                 // the 8th step: epoch 2, step 3
                        stopping.requestStop();
                    }
                }
            });
            return network;
        }, few, null, null, 2, false));
        TrainingState stopped = Checkpoint.state(interrupted.resolve(Trainer.CHECKPOINT));
        assertEquals(1, stopped.epochsDone());
        assertEquals(3, stopped.progress.steps, "the checkpoint is at the step where the run stopped");
        TrainingException pastTheEnd = assertThrows(TrainingException.class,
                () -> new Trainer(interrupted, 32, 3, 2).train(Digits::smallCapsNet, few, null, null, 1, true));
        assertTrue(pastTheEnd.getMessage().contains("already 3 steps into epoch 2"), pastTheEnd.getMessage());

        Trainer.Result resumed = new Trainer(interrupted, 32, 3, 2).train(Digits::smallCapsNet, few, null, null, 2, true);
        assertIdentical(uninterrupted.network().params(), resumed.network().params(), "same weights as the uninterrupted run");
        assertIdentical(uninterrupted.network().getUpdater().getStateViewArray(), resumed.network().getUpdater().getStateViewArray(),
                "same Adam state");
        assertEquals(uninterrupted.state().lastEpoch().meanLoss, resumed.state().lastEpoch().meanLoss, 0.0,
                "the resumed epoch's mean loss counts the steps before the stop");
    }

    @Test
    void checkpointsWithinAnEpochAtTheInterval(@TempDir Path everyStep, @TempDir Path everyFiveMinutes) throws IOException {
        IdxDataset few = Digits.train(128);                                               // 4 steps
        assertEquals(List.of(0L, 1L, 2L, 3L), checkpointedStepsSeenByEachStep(new Trainer(everyStep, 32, 1, 0)
                .checkpointEvery(Duration.ZERO), everyStep, few));
        assertEquals(List.of(0L, 0L, 0L, 0L), checkpointedStepsSeenByEachStep(new Trainer(everyFiveMinutes, 32, 1, 0),
                        everyFiveMinutes, few),
                "within a few seconds of a 5-minute interval only the checkpoint before the first step exists");
    }

    /** For each step of a one-epoch run, the step of the checkpoint on disk when the step ends. */
    private static List<Long> checkpointedStepsSeenByEachStep(Trainer trainer, Path run, IdxDataset data) throws IOException {
        List<Long> steps = new ArrayList<>();
        Path checkpoint = run.resolve(Trainer.CHECKPOINT);
        trainer.train(() -> {
            ComputationGraph network = Digits.smallCapsNet();
            network.addListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    TrainingState onDisk = stateOnDisk(checkpoint);
                    steps.add(onDisk.progress == null ? 0 : onDisk.progress.steps);     // none yet: the checkpoint before step 1
                }
            });
            return network;
        }, data, null, null, 1, false);
        return steps;
    }

    /** The training state in a checkpoint file, read without DL4J. */
    static TrainingState stateOnDisk(Path checkpoint) {
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            return TrainingState.fromJson(zip.getInputStream(zip.getEntry(Checkpoint.STATE_ENTRY)).readAllBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anExistingCheckpointIsNotOverwrittenWithoutResume(@TempDir Path run) throws IOException {
        IdxDataset few = Digits.train(32);
        new Trainer(run, 32, 1, 0).train(Digits::smallCapsNet, few, null, 1, false);
        byte[] before = Files.readAllBytes(run.resolve(Trainer.CHECKPOINT));
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(run, 32, 1, 0).train(Digits::smallCapsNet, few, null, 2, false));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--resume"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(run.resolve(Trainer.CHECKPOINT)), "the checkpoint is untouched");
    }
}
