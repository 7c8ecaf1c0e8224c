package io.github.capsnet4j.bench;

import io.github.capsnet4j.bench.BenchResults.Column;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The benchmark's Markdown report: a header with the machine, load and software (ND4J binary, BLAS,
 * threads; the torch build), a table of median step times and peak memory per system, the time ratios of
 * ours to each peer, and a table of images per second with the fraction of the matmul peak they reach
 * ({@code images/s × FLOP per image ÷ peak FLOP/s}, FLOP per image from {@link CapsNetFlops}; the peak is the
 * faster of ND4J's and PyTorch's 2048² sgemm).
 */
public final class BenchReport {

    private static final String MISSING = "–";

    private final BenchSettings settings;
    private final BenchResults results;

    public BenchReport(BenchSettings settings, BenchResults results) {
        this.settings = settings;
        this.results = results;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("# CapsNet benchmark\n\n");
        header(out);
        times(out);
        ratios(out);
        throughput(out);
        if (!results.notices().isEmpty()) {
            out.append("\n## Notices\n\n");
            results.notices().forEach(notice -> out.append("- ").append(notice).append('\n'));
        }
        return out.toString();
    }

    private void header(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "The paper's MNIST CapsNet with its decoder (8,215,568 parameters) on %s.%n",
                results.machine()));
        out.append(String.format(Locale.ROOT, "%d round(s), each running every system once in its own process (order rotated"
                        + " every round): per batch size %d timed step(s) after %d warm-up step(s); medians over all timed steps"
                        + " of all rounds. Workers use %d threads. Load average before: %s; after: %s.%n%n",
                settings.rounds, settings.reps, settings.warmup, settings.threads,
                String.join(" ", results.loadavgBefore()), String.join(" ", results.loadavgAfter())));
        for (String worker : List.of(BenchSystem.OURS.id(), BenchSystem.BUILTIN.id(), MatmulPeak.WORKER)) {
            if (results.environment(worker).isPresent()) {
                out.append("- ").append(nd4j(results.environment(worker).get())).append('\n');
                break;
            }
        }
        results.environment(BenchSystem.TORCH.id()).ifPresent(torch -> out.append("- ").append(torch(torch)).append('\n'));
        List<String> threads = new ArrayList<>();
        for (BenchSystem system : systems()) {
            results.threads(system.id()).ifPresent(count -> threads.add(system.id() + " " + count));
        }
        if (!threads.isEmpty()) {
            out.append("- Threads the systems report using: ").append(String.join(", ", threads)).append('\n');
        }
    }

    /** The systems that ran (or failed): those asked for but not skipped. */
    private List<BenchSystem> systems() {
        return settings.systems.stream().filter(system -> !results.skipped(system.id())).collect(Collectors.toList());
    }

    /** ND4J's binary, e.g. "linux-x86_64-onednn-avx2 (AVX/AVX2; this CPU: AVX512)". */
    static String nd4j(JsonNode environment) {
        return String.format(Locale.ROOT, "ND4J binary %s (%s; this CPU supports %s), %s, BLAS %s, OpenMP threads %s,"
                        + " BLAS threads %s, Java %s", environment.path("nd4j_binary").asText(),
                environment.path("binary_level").asText(), environment.path("cpu_level").asText(),
                environment.path("build").asText(), environment.path("blas_vendor").asText(),
                environment.path("omp_threads").asText(), environment.path("blas_threads").asText(),
                environment.path("java").asText());
    }

    /** The torch build and the BLAS it loaded, with a warning when that is not an optimised one. */
    static String torch(JsonNode info) {
        List<String> blas = StreamSupport.stream(info.path("libs_mapped").spliterator(), false).map(JsonNode::asText)
                .map(path -> path.substring(path.lastIndexOf('/') + 1))
                .filter(library -> library.contains("blas") || library.contains("mkl")).collect(Collectors.toList());
        boolean optimised = blas.stream().anyMatch(library -> library.contains("openblas") || library.contains("mkl"));
        return String.format(Locale.ROOT, "PyTorch %s, oneDNN %s, BLAS %s%s", info.path("torch").asText(),
                info.path("mkldnn").asText(), blas.isEmpty() ? "unknown" : String.join(" ", blas),
                optimised ? "" : " (WARNING: not OpenBLAS/MKL; torch's matmul is slow: " + TorchPeer.INSTALL + ")");
    }

    private void times(StringBuilder out) {
        out.append("\n## Median time per step and peak memory\n\n| system |");
        settings.columns().forEach(column -> out.append(' ').append(column).append(" |"));
        out.append(" peak RSS |\n|---|");
        settings.columns().forEach(column -> out.append("---:|"));
        out.append("---:|\n");
        for (BenchSystem system : systems()) {
            out.append("| ").append(system.label()).append(" |");
            for (Column column : settings.columns()) {
                OptionalDouble ms = results.medianMs(system.id(), column);
                out.append(' ').append(ms.isPresent() ? milliseconds(ms.getAsDouble()) : MISSING).append(" |");
            }
            OptionalLong kib = results.peakRssKib(system.id());
            out.append(' ').append(kib.isPresent() ? gibibytes(kib.getAsLong()) : MISSING).append(" |\n");
        }
        out.append("\nPeak RSS: the largest peak resident memory (VmHWM; ru_maxrss for PyTorch) of the system's worker"
                + " processes, each running all batch sizes.\n");
    }

    private void ratios(StringBuilder out) {
        List<String> lines = new ArrayList<>();
        for (BenchSystem peer : systems()) {
            if (peer == BenchSystem.OURS || !systems().contains(BenchSystem.OURS)) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (Column column : settings.columns()) {
                OptionalDouble ours = results.medianMs(BenchSystem.OURS.id(), column);
                OptionalDouble theirs = results.medianMs(peer.id(), column);
                if (ours.isPresent() && theirs.isPresent()) {
                    cells.add(String.format(Locale.ROOT, "%s %.2f×", column, Stats.ratio(ours.getAsDouble(), theirs.getAsDouble())));
                }
            }
            lines.add("- ours vs " + peer.label() + ": " + (cells.isEmpty() ? "no common timings" : String.join(", ", cells)));
        }
        if (!lines.isEmpty()) {
            out.append("\n## Ratios: ours / peer time (below 1: ours is faster)\n\n");
            lines.forEach(line -> out.append(line).append('\n'));
        }
    }

    /** Images in one training epoch of MNIST, for the epoch estimate. */
    static final int EPOCH_IMAGES = 60_000;

    private void throughput(StringBuilder out) {
        OptionalDouble nd4jPeak = results.matmulGflops(MatmulPeak.WORKER);
        OptionalDouble torchPeak = results.matmulGflops(TorchPeer.PEAK_WORKER);
        double peak = Math.max(nd4jPeak.orElse(0), torchPeak.orElse(0));
        out.append("\n## Images per second and fraction of the matmul peak\n\n");
        out.append(String.format(Locale.ROOT, "Single-precision matmul peak (%d² sgemm, %d threads, median over rounds):"
                        + " ND4J %s, PyTorch %s; peak = the faster. Work per image: training %.3f GFLOP (3 × forward),"
                        + " inference %.3f GFLOP (forward), from the layer shapes. Epoch: %,d training images at the"
                        + " column's rate.%n%n", MatmulPeak.N, settings.threads,
                gflops(nd4jPeak), gflops(torchPeak), CapsNetFlops.trainPerImage() / 1e9, CapsNetFlops.forwardPerImage() / 1e9,
                EPOCH_IMAGES));
        out.append("| system |");
        settings.columns().forEach(column -> out.append(' ').append(column).append(" |"));
        out.append("\n|---|");
        settings.columns().forEach(column -> out.append("---:|"));
        out.append('\n');
        for (BenchSystem system : systems()) {
            out.append("| ").append(system.label()).append(" |");
            for (Column column : settings.columns()) {
                OptionalDouble ms = results.medianMs(system.id(), column);
                out.append(' ').append(ms.isPresent() ? throughput(column, ms.getAsDouble(), peak) : MISSING).append(" |");
            }
            out.append('\n');
        }
    }

    /**
     * "39.4 img/s, 3.1 % of peak" for a step of the column's batch taking {@code ms}, against a peak in GFLOP/s (0: unknown);
     * a training column adds the time of one epoch of MNIST's {@value #EPOCH_IMAGES} training images at that rate.
     */
    static String throughput(Column column, double ms, double peakGflops) {
        double images = Stats.imagesPerSecond(column.batch, ms);
        StringBuilder cell = new StringBuilder(String.format(Locale.ROOT, "%.1f img/s", images));
        if (peakGflops > 0) {
            cell.append(String.format(Locale.ROOT, ", %.1f %% of peak", 100 * images * CapsNetFlops.perImage(column.mode) / (peakGflops * 1e9)));
        }
        if (column.mode.equals(BenchResults.TRAIN)) {
            cell.append(String.format(Locale.ROOT, ", epoch %.1f min", EPOCH_IMAGES / images / 60));
        }
        return cell.toString();
    }

    static String milliseconds(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%,.0f ms", ms);
    }

    static String gibibytes(long kib) {
        return String.format(Locale.ROOT, "%.2f GiB", kib / (1024.0 * 1024.0));
    }

    private static String gflops(OptionalDouble gflops) {
        return gflops.isPresent() ? String.format(Locale.ROOT, "%.1f GFLOP/s", gflops.getAsDouble()) : "not measured";
    }
}
