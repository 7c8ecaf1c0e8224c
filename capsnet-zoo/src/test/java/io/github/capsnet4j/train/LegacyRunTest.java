package io.github.capsnet4j.train;

import io.github.capsnet4j.data.CapsNetDataSetIterator;
import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.zoo.CapsNetGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.capsnet4j.testing.Identical.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run folder of capsnet4j 0.1 (checkpoint.zip without state, training-state.json beside it, written in that
 * order) resumes once with the same batch size and seed, turning into a current one, and continues exactly as a
 * run of this version would; other settings, or a state that disagrees with the checkpoint, are refused.
 */
class LegacyRunTest {

    private static final String OLD_STATE = "{\"seed\": 3, \"batchSize\": 32, \"epochs\": [{\"epoch\": 1, \"meanLoss\": 0.75,"
            + " \"testAccuracy\": 0.25, \"seconds\": 12.5}]}";

    private static IdxDataset few;
    private static ComputationGraph twoEpochs;

    @BeforeAll
    static void trainTwoEpochsStraight(@TempDir Path run) throws IOException {
        few = Digits.train(96);
        twoEpochs = new Trainer(run, 32, 3, 2).train(Digits::smallCapsNet, few, null, null, 2, false).network();
    }

    /** A folder as capsnet4j 0.1's trainer left it after one epoch of batch size 32, seed 3, max shift 2. */
    private static Path oldRun(Path folder, String oldState) throws IOException {
        ComputationGraph network = Digits.smallCapsNet();
        CapsNetDataSetIterator batches = new CapsNetDataSetIterator(few, 32, 3, true, 2);   // 0.1's epoch 0: seed + 0
        while (batches.hasNext()) {
            network.fit(CapsNetGraph.trainingBatch(batches.next(), true));
        }
        network.incrementEpochCount();
        ModelSerializer.writeModel(network, folder.resolve(Trainer.CHECKPOINT).toFile(), true);
        Files.writeString(folder.resolve(Trainer.STATE), oldState);
        return folder;
    }

    @Test
    void resumesOnceWithTheSameBatchSizeAndSeedAndContinuesExactly(@TempDir Path folder) throws IOException {
        oldRun(folder, OLD_STATE);
        Trainer.Result resumed = new Trainer(folder, 32, 3, 2).train(Digits::smallCapsNet, few, null, null, 2, true);
        assertIdentical(twoEpochs.params(), resumed.network().params(), "as if the run had been of this version from the start");
        TrainingState state = Checkpoint.state(folder.resolve(Trainer.CHECKPOINT));
        assertEquals(2, state.epochsDone());
        assertEquals(0.75, state.epochs.get(0).meanLoss);
        assertTrue(Double.isNaN(state.epochs.get(0).testAccuracy), "0.1's test split need not be this run's");
        assertTrue(state.notes.get(0).contains("Migrated") && state.notes.get(0).contains("0.1's per epoch: 1: 0.25"),
                state.notes.toString());
        assertEquals(OLD_STATE, Files.readString(folder.resolve(LegacyRun.KEPT_AS)), "the old state is kept");
        assertEquals("3", state.settings.get("seed"));
        assertEquals("2", state.settings.get("max shift"), "taken from the resuming run");
    }

    @Test
    void aCheckpointOneEpochAheadOfItsStateIsEvaluatedAndContinued(@TempDir Path folder) throws IOException {
        oldRun(folder, "{\"seed\": 3, \"batchSize\": 32, \"epochs\": []}");                    // killed between 0.1's two writes
        Trainer.Result resumed = new Trainer(folder, 32, 3, 2).train(Digits::smallCapsNet, few, null, Digits.test(20), 2, true);
        assertIdentical(twoEpochs.params(), resumed.network().params(), "as if the run had been of this version from the start");
        assertEquals(2, resumed.state().epochsDone());
        assertTrue(Double.isNaN(resumed.state().epochs.get(0).meanLoss), "epoch 1's loss was lost with its record");
        assertFalse(Double.isNaN(resumed.state().epochs.get(0).testAccuracy), "but it was evaluated on resuming");
    }

    @Test
    void otherSettingsOrADisagreeingStateAreRefusedAndTheFolderLeftAsItWas(@TempDir Path folder) throws IOException {
        oldRun(folder, OLD_STATE);
        byte[] checkpoint = Files.readAllBytes(folder.resolve(Trainer.CHECKPOINT));
        TrainingException seed = assertThrows(TrainingException.class,
                () -> new Trainer(folder, 32, 4, 2).train(Digits::smallCapsNet, few, null, null, 2, true));
        assertTrue(seed.getMessage().contains("trained with seed 3, but this resume asks for 4"), seed.getMessage());
        TrainingException batch = assertThrows(TrainingException.class,
                () -> new Trainer(folder, 16, 3, 2).train(Digits::smallCapsNet, few, null, null, 2, true));
        assertTrue(batch.getMessage().contains("batch size 32, but this resume asks for 16"), batch.getMessage());
        TrainingException network = assertThrows(TrainingException.class,
                () -> new Trainer(folder, 32, 3, 2).train(() -> Digits.smallCapsNet(2, true), few, null, null, 2, true));
        assertTrue(network.getMessage().contains("routingIterations is 3 in the run but 2 now"), network.getMessage());
        Files.writeString(folder.resolve(Trainer.STATE), OLD_STATE.replace("]}", ", {\"epoch\": 2}]}"));
        TrainingException ahead = assertThrows(TrainingException.class,
                () -> new Trainer(folder, 32, 3, 2).train(Digits::smallCapsNet, few, null, null, 3, true));
        assertTrue(ahead.getMessage().contains("holds 1 epochs but training-state.json records 2"), ahead.getMessage());
        assertArrayEquals(checkpoint, Files.readAllBytes(folder.resolve(Trainer.CHECKPOINT)));
        assertFalse(Files.exists(folder.resolve(LegacyRun.KEPT_AS)), "not migrated");
    }
}
