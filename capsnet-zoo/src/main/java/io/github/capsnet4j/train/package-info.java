/**
 * Training a CapsNet: {@link io.github.capsnet4j.train.Trainer} runs the epochs with an atomic checkpoint
 * after each, so that an interrupted run resumes where it stopped, records them in
 * {@link io.github.capsnet4j.train.TrainingState} and shows progress with
 * {@link io.github.capsnet4j.train.ProgressBar}.
 *
 * <p>Library code: it uses {@code io.github.capsnet4j.zoo} and {@code io.github.capsnet4j.data}, never the
 * command line ({@code cli}) or the benchmark ({@code bench}).
 */
package io.github.capsnet4j.train;
