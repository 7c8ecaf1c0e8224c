/**
 * Training a CapsNet so that an interrupted run loses minutes, not an epoch, and nothing can silently corrupt
 * it: {@link io.github.capsnet4j.train.Trainer} runs the steps and evaluates every epoch on the validation and
 * the test split; {@code RunFolder} and {@code RunLock} give the run folder to one process at a time;
 * {@code RunChecks} checks data and network before the first step; {@code Checkpoint} writes network, updater
 * state and {@link io.github.capsnet4j.train.TrainingState} as one atomic file ({@code AtomicFiles});
 * {@code StopSignal} ends a run at a step boundary on SIGTERM or Ctrl-C; {@code NetworkComparison} and
 * {@code DataFingerprint} tell a resumed run from another; {@code LegacyRun} converts a capsnet4j 0.1 run
 * folder once; {@link io.github.capsnet4j.train.ProgressBar} shows progress. Refusals are
 * {@link io.github.capsnet4j.train.TrainingException}s that say what, why and the fix.
 *
 * <p>Library code: it uses {@code io.github.capsnet4j.zoo} and {@code io.github.capsnet4j.data}, never the
 * command line ({@code cli}) or the benchmark ({@code bench}).
 */
package io.github.capsnet4j.train;
