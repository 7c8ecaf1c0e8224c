package io.github.capsnet4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run folder belongs to one run at a time, also within one Java process, and is free again as soon as its
 * run ends. (Between processes, and after a killed one: {@code io.github.capsnet4j.cli.TrainProcessTest}.)
 */
class RunLockTest {

    @Test
    void aSecondRunOnAHeldFolderIsRefusedAndTheFolderIsFreeAfterwards(@TempDir Path run) throws IOException {
        try (RunFolder held = RunFolder.open(run)) {
            TrainingException e = assertThrows(TrainingException.class,
                    () -> new Trainer(run, 8, 1, 0).train(Digits::smallCapsNet, Digits.train(8), null, 1, false));
            assertTrue(e.getMessage().contains("is in use by another training run in this Java process"), e.getMessage());
            assertTrue(Files.readString(run.resolve(RunLock.FILE)).startsWith("process " + ProcessHandle.current().pid()));
            assertTrue(!Files.exists(run.resolve(Trainer.CHECKPOINT)), "the refused run wrote nothing");
        }
        assertEquals(1, new Trainer(run, 8, 1, 0).train(Digits::smallCapsNet, Digits.train(8), null, 1, false).state().epochsDone());
        assertEquals(1, new Trainer(run, 8, 1, 0).train(Digits::smallCapsNet, Digits.train(8), null, 1, true).state().epochsDone(),
                "and again after that run");
    }
}
