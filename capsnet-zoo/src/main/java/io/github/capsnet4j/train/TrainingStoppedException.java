package io.github.capsnet4j.train;

import java.nio.file.Path;

/**
 * A training run stopped on request ({@link Trainer#requestStop()}, SIGTERM, Ctrl-C) at a step boundary, after
 * writing a checkpoint there; training again with {@code resume} continues at the next step.
 */
public class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TrainingStoppedException(Path runDirectory, int epoch, long step, long stepsPerEpoch) {
        super("Training stopped after step " + step + " of " + stepsPerEpoch + " of epoch " + epoch + "; the checkpoint in "
                + runDirectory + " continues it with --resume (same settings).");
    }
}
