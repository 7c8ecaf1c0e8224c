package io.github.capsnet4j.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Ends a training run cleanly when asked to stop: by {@link #request()}, or by the operating system
 * (SIGTERM from {@code kill} or a service manager, SIGINT from Ctrl-C, which run the JVM's shutdown hooks).
 *
 * <p>While training steps run, the shutdown hook waits (at most {@value #WAIT_SECONDS} s) for the trainer to
 * finish the current step and write a checkpoint there; a checkpoint write in progress is thus completed, not
 * cut. Outside the steps (loading, evaluating, writing the final model) the last checkpoint is already
 * complete, and the hook lets the process end at once.
 */
final class StopSignal {

    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);
    static final long WAIT_SECONDS = 300;

    private final Thread hook = new Thread(this::onShutdown, "capsnet4j-stop-at-step-boundary");
    private boolean requested;
    private boolean stepping;

    /** Installs the shutdown hook and forgets earlier requests. */
    synchronized void arm() {
        requested = false;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the shutdown hook, unless the JVM is already shutting down (then it is running). */
    void disarm() {
        leaveSteps();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing to remove.
        }
    }

    /** Asks the trainer to stop after the current step, with a checkpoint. */
    synchronized void request() {
        requested = true;
    }

    synchronized boolean requested() {
        return requested;
    }

    /** Training steps begin: a shutdown from now on waits for the next step boundary. */
    synchronized void enterSteps() {
        stepping = true;
    }

    /** Training steps are over (ended, or stopped with a checkpoint): a waiting shutdown may go on. */
    synchronized void leaveSteps() {
        stepping = false;
        notifyAll();
    }

    private synchronized void onShutdown() {
        requested = true;
        if (!stepping) {
            return;
        }
        log.info("Stopping: finishing the current training step and writing a checkpoint ...");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            while (stepping && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stepping) {
            log.warn("No step boundary within {} s; exiting with the previous checkpoint", WAIT_SECONDS);
        }
    }
}
