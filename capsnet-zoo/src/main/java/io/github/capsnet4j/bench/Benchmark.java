package io.github.capsnet4j.bench;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the benchmark: {@code rounds} rounds, each running every worker once, the order rotated by one
 * each round (so that no system always runs first or always last), and every worker in its own process.
 * The workers are one per system (see {@link BenchWorker}, {@link TorchPeer}) and the matmul peaks of ND4J
 * ({@link MatmulPeak}) and, with PyTorch, of PyTorch. Every JSON line is written at once, tagged with its
 * round and worker, to the raw JSON-lines file; the rest of the workers' output goes to the log file.
 */
public final class Benchmark {

    private final BenchSettings settings;
    private final Path rawLines;
    private final Path log;
    private final PrintStream progress;

    /**
     * @param rawLines the JSON-lines file (replaced)
     * @param log      the workers' log (replaced)
     * @param progress where to say what runs
     */
    public Benchmark(BenchSettings settings, Path rawLines, Path log, PrintStream progress) {
        this.settings = settings;
        this.rawLines = rawLines;
        this.log = log;
        this.progress = progress;
    }

    /** A worker: its name in the results and its command. */
    private static final class Job {
        final String name;
        final List<String> command;

        Job(String name, List<String> command) {
            this.name = name;
            this.command = command;
        }
    }

    public BenchResults run() throws IOException, InterruptedException {
        BenchResults results = new BenchResults();
        results.setMachine(String.format(Locale.ROOT, "%d cores (%s), %s", Runtime.getRuntime().availableProcessors(),
                ProcInfo.cpuModel(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        List<String> loadavgBefore = ProcInfo.loadavg();
        Files.deleteIfExists(log);
        try (Writer raw = Files.newBufferedWriter(rawLines, StandardCharsets.UTF_8)) {
            List<Job> jobs = new ArrayList<>();
            for (BenchSystem system : settings.systems) {
                if (system == BenchSystem.TORCH) {
                    TorchPeer torch = torchPeer(results);
                    if (torch != null) {
                        run(new Job("torch-info", torch.infoCommand(settings.threads)), 0, raw, results,
                                line -> results.addEnvironment(BenchSystem.TORCH.id(), line));
                        jobs.add(new Job(BenchSystem.TORCH.id(), torch.benchCommand(settings)));
                        jobs.add(new Job(TorchPeer.PEAK_WORKER, torch.peakCommand(settings.threads)));
                    }
                } else {
                    jobs.add(new Job(system.id(), BenchWorker.command(system.id(), BenchSettings.commaList(settings.batches),
                            BenchSettings.commaList(settings.inferBatches), String.valueOf(settings.warmup),
                            String.valueOf(settings.reps))));
                }
            }
            jobs.add(new Job(MatmulPeak.WORKER, BenchWorker.command(MatmulPeak.WORKER)));
            for (int round = 1; round <= settings.rounds; round++) {
                List<Job> order = new ArrayList<>(jobs);
                Collections.rotate(order, -(round - 1));
                for (Job job : order) {
                    run(job, round, raw, results, line -> results.add(job.name, line));
                }
            }
        } finally {
            results.setLoadavg(loadavgBefore, ProcInfo.loadavg());
        }
        return results;
    }

    /** The PyTorch peer, or {@code null} with a notice when the interpreter cannot import torch. */
    private TorchPeer torchPeer(BenchResults results) throws IOException, InterruptedException {
        if (TorchPeer.available(settings.python)) {
            return TorchPeer.of(settings.python, settings.torchScript);
        }
        String notice = "PyTorch skipped: " + settings.python + " cannot import torch. Install Debian's PyTorch and an"
                + " optimised BLAS with: " + TorchPeer.INSTALL;
        progress.println(notice);
        results.addSkipped(BenchSystem.TORCH.id(), notice);
        return null;
    }

    /** Runs one worker (round 0: before the rounds); a failure becomes a notice in the results. */
    private void run(Job job, int round, Writer raw, BenchResults results, Consumer<JsonNode> lines)
            throws IOException, InterruptedException {
        String stage = round == 0 ? "setup" : String.format(Locale.ROOT, "round %d/%d", round, settings.rounds);
        progress.printf(Locale.ROOT, "%s: %s ...%n", stage, job.name);
        long start = System.nanoTime();
        Files.writeString(log, "=== " + stage + ": " + job.name + ": " + String.join(" ", job.command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        int status = WorkerProcess.run(job.command, settings.threads, log, line -> {
            ObjectNode tagged = BenchWorker.JSON.createObjectNode().put("round", round).put("worker", job.name);
            tagged.setAll((ObjectNode) line);
            try {
                raw.write(BenchWorker.JSON.writeValueAsString(tagged));
                raw.write('\n');
                raw.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines.accept(line);
        });
        progress.printf(Locale.ROOT, "%s: %s done in %.0f s%s%n", stage, job.name,
                (System.nanoTime() - start) / 1e9, status == 0 ? "" : ", exit status " + status);
        if (status != 0) {
            results.addNotice(String.format(Locale.ROOT, "%s failed (%s) with exit status %d%s; its output is in %s",
                    job.name, stage, status, status == 137 ? " (killed: out of memory?)" : "", log));
        }
    }
}
