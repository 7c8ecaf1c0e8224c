package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.zoo.CapsNetEvaluator;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a few hundred real digits: a complete (smaller) CapsNet with decoder learns far beyond chance,
 * its loss falls, and a run interrupted after an epoch and resumed ends exactly where an uninterrupted run ends.
 */
class TrainerTest {

    private static IdxDataset train;
    private static IdxDataset test;

    @BeforeAll
    static void data() throws IOException {
        train = MnistData.official(Split.TRAIN).head(600);
        test = MnistData.official(Split.TEST).head(300);
    }

    /** The paper's architecture with fewer channels, so that a few epochs take seconds on two cores. */
    private static ComputationGraph smallCapsNet() {
        return CapsNetMnist.builder().convolutionChannels(32).primaryCapsules(8, 8).seed(42).build().init();
    }

    @Test
    void aFewEpochsOnSixHundredDigitsBeatChanceByFar(@TempDir Path run) throws IOException {
        Trainer.Result result = new Trainer(run, 32, 7, 0).train(TrainerTest::smallCapsNet, train, test, 4, false);
        TrainingState state = result.state();
        assertEquals(4, state.epochsDone());
        double firstLoss = state.epochs.get(0).meanLoss;
        double lastLoss = state.epochs.get(3).meanLoss;
        assertTrue(lastLoss < 0.6 * firstLoss, "loss falls clearly: " + firstLoss + " -> " + lastLoss);
        double accuracy = CapsNetEvaluator.evaluate(result.network(), test, 100).accuracy();
        assertTrue(accuracy > 0.6, "held-out accuracy " + accuracy + " (chance: 0.1)");
        assertTrue(Files.exists(run.resolve(Trainer.MODEL)) && Files.exists(run.resolve(Trainer.CHECKPOINT)));
    }

    @Test
    void resumingAfterAnInterruptionContinuesFromTheCheckpoint(@TempDir Path straight, @TempDir Path interrupted)
            throws IOException {
        IdxDataset few = train.head(96);
        ComputationGraph uninterrupted = new Trainer(straight, 32, 3, 2).train(TrainerTest::smallCapsNet, few, null, 2, false).network();
        new Trainer(interrupted, 32, 3, 2).train(TrainerTest::smallCapsNet, few, null, 1, false);   // "killed" after epoch 1
        Trainer.Result resumed = new Trainer(interrupted, 32, 3, 2).train(() -> {
            throw new AssertionError("a resumed run must not build a new network");
        }, few, null, 2, true);
        assertEquals(2, resumed.state().epochsDone());
        assertEquals(uninterrupted.params(), resumed.network().params(), "same weights as the uninterrupted run");
    }

    @Test
    void anExistingCheckpointIsNotOverwrittenWithoutResume(@TempDir Path run) throws IOException {
        IdxDataset few = train.head(32);
        new Trainer(run, 32, 1, 0).train(TrainerTest::smallCapsNet, few, null, 1, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Trainer(run, 32, 1, 0).train(TrainerTest::smallCapsNet, few, null, 2, false));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(run, 16, 1, 0).train(TrainerTest::smallCapsNet, few, null, 2, true));
        assertTrue(changed.getMessage().contains("batch size 32"), changed.getMessage());
    }
}
