package io.github.capsnet4j.cli;

import io.github.capsnet4j.bench.BenchReport;
import io.github.capsnet4j.bench.BenchResults;
import io.github.capsnet4j.bench.BenchSettings;
import io.github.capsnet4j.bench.BenchSystem;
import io.github.capsnet4j.bench.Benchmark;
import io.github.capsnet4j.bench.LayerProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code bench}: times the training step and inference of this project's CapsNet against the same network
 * from DL4J's built-in capsule layers and the PyTorch reference, interleaved over several rounds, each
 * system in its own process; see {@link Benchmark} and {@link BenchReport}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the paper's CapsNet (training step and inference): ours vs DL4J's built-in capsule layers"
                + " vs PyTorch, interleaved over rounds, each system in its own process; prints a Markdown report and writes"
                + " it to --output, the raw JSON lines next to it (.jsonl) and the workers' output to a .log.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--batches", split = ",", defaultValue = "32,64,128",
            description = "Batch sizes of the timed training steps (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--infer-batches", split = ",",
            description = "Batch sizes of the timed inference, among --batches (default: 128, or the largest of --batches"
                    + " without 128).")
    List<Integer> inferBatches;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Rounds; each runs every system once, in rotated order (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--reps", defaultValue = "5", description = "Timed steps per batch size and round (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps before them (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", defaultValue = "2", description = "Threads of every worker (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--systems", split = ",", defaultValue = "ours,builtin,torch",
            description = "Systems to time: ours, builtin (DL4J's PrimaryCapsules/CapsuleLayer; slow: ~40 s per step at"
                    + " batch 128), torch (default: ${DEFAULT-VALUE}).")
    List<String> systems;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "runs/bench/bench.md",
            description = "Markdown report; the JSON lines go to FILE.jsonl and the workers' output to FILE.log,"
                    + " the .md replaced (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with Debian's python3-torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--torch-script", paramLabel = "FILE",
            description = "The PyTorch reference script to run instead of the bundled torch_capsnet.py.")
    Path torchScript;

    @Option(names = "--profile",
            description = "Instead of the benchmark: where ours spends a training step and an inference pass, layer by layer"
                    + " (forward and backward), in this process, at --batches (--warmup, --reps steps).")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        if (inferBatches == null) {
            inferBatches = List.of(batches.contains(128) ? 128 : Collections.max(batches));
        }
        if (profile) {
            System.out.print(LayerProfile.ofCapsNet(batches, inferBatches, warmup, reps));
            return 0;
        }
        BenchSettings settings = new BenchSettings(batches, inferBatches, rounds, reps, warmup, threads,
                systems.stream().map(BenchSystem::parse).distinct().collect(Collectors.toList()), python, torchScript);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Path rawLines = sibling(".jsonl");
        Path log = sibling(".log");
        BenchResults results = new Benchmark(settings, rawLines, log, System.err).run();
        String report = new BenchReport(settings, results).markdown();
        Files.writeString(output, report, StandardCharsets.UTF_8);
        System.out.print(report);
        System.err.println("Report: " + output + "; JSON lines: " + rawLines + "; worker log: " + log);
        return 0;
    }

    /** The output file with its .md extension (if any) replaced. */
    private Path sibling(String extension) {
        String name = output.getFileName().toString();
        String base = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        return output.resolveSibling(base + extension);
    }
}
