package io.github.capsnet4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What to run: the batch sizes of the training steps and of inference, the rounds, timed and warm-up
 * steps per worker run, the threads of every worker, the systems, and where the PyTorch reference is.
 */
public final class BenchSettings {

    final List<Integer> batches;
    final List<Integer> inferBatches;
    final int rounds;
    final int reps;
    final int warmup;
    final int threads;
    final List<BenchSystem> systems;
    final String python;
    final Path torchScript;

    /**
     * @param inferBatches a subset of {@code batches}, as the PyTorch reference infers only at training batch sizes
     * @param torchScript  the PyTorch reference script, or {@code null} for the copy bundled in this jar
     */
    public BenchSettings(List<Integer> batches, List<Integer> inferBatches, int rounds, int reps, int warmup, int threads,
                         List<BenchSystem> systems, String python, Path torchScript) {
        if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--batches needs batch sizes of at least 1, got " + batches);
        }
        if (!batches.containsAll(inferBatches)) {
            throw new IllegalArgumentException("--infer-batches " + inferBatches + " must be among --batches " + batches
                    + " (each worker infers at the batch sizes it trains at)");
        }
        if (rounds < 1 || reps < 1 || warmup < 0 || threads < 1) {
            throw new IllegalArgumentException("--rounds, --reps and --threads must be at least 1 and --warmup at least 0, got "
                    + rounds + ", " + reps + ", " + threads + ", " + warmup);
        }
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("--systems names no system");
        }
        this.batches = List.copyOf(batches);
        this.inferBatches = List.copyOf(inferBatches);
        this.rounds = rounds;
        this.reps = reps;
        this.warmup = warmup;
        this.threads = threads;
        this.systems = List.copyOf(systems);
        this.python = python;
        this.torchScript = torchScript;
    }

    /** The report's columns: training at every batch size, then inference. */
    List<BenchResults.Column> columns() {
        List<BenchResults.Column> columns = new ArrayList<>();
        batches.forEach(batch -> columns.add(new BenchResults.Column(BenchResults.TRAIN, batch)));
        inferBatches.forEach(batch -> columns.add(new BenchResults.Column(BenchResults.INFER, batch)));
        return columns;
    }

    /** {@code "32,128"}: batch sizes as the workers take them. */
    static String commaList(List<Integer> batches) {
        return batches.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
