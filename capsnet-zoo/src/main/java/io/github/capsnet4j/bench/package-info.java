/**
 * The {@code bench} command's benchmark: one training step and one inference pass of the paper's CapsNet,
 * this project's layers ({@link io.github.capsnet4j.zoo.CapsNetMnist}) against the same network from DL4J's
 * built-in capsule layers ({@link io.github.capsnet4j.bench.BuiltinCapsNet}) and the PyTorch reference
 * ({@link io.github.capsnet4j.bench.TorchPeer}, running the {@code torch_capsnet.py} resource beside it),
 * each system in its own worker process ({@link io.github.capsnet4j.bench.BenchWorker}), interleaved over
 * rounds ({@link io.github.capsnet4j.bench.Benchmark}), summarised as Markdown
 * ({@link io.github.capsnet4j.bench.BenchResults}, {@link io.github.capsnet4j.bench.BenchReport}).
 *
 * <p>Not library API: only the command line ({@code cli}) uses it.
 */
package io.github.capsnet4j.bench;
