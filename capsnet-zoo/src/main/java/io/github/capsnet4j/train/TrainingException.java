package io.github.capsnet4j.train;

import java.io.IOException;

/**
 * A training run cannot start or go on as asked: its folder is in use, its checkpoint is missing or damaged,
 * a setting differs from the run's, the data, the network or the disk would make it fail later, or the loss
 * stopped being a number. Refusals come before the first training step, so that nothing is lost. The message has three parts: what is wrong,
 * why, and the fix, e.g. {@code "runs/a: the run was started with batch size 32 but this resume asks for 16.
 * Fix: resume with batch size 32, or start a new run in another folder."}
 */
public class TrainingException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what    the problem, naming the file, folder or setting concerned
     * @param fix     what the user can do about it
     */
    public TrainingException(String what, String fix) {
        super(what + ". Fix: " + fix + ".");
    }

    /** As {@link #TrainingException(String, String)}, keeping the low-level {@code cause} for {@code --verbose}. */
    public TrainingException(String what, String fix, Throwable cause) {
        super(what + ". Fix: " + fix + ".", cause);
    }
}
