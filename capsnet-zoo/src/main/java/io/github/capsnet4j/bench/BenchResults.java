package io.github.capsnet4j.bench;

import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything the workers reported, pooled over the rounds. Workers print one JSON object per line with a
 * {@code "mode"}:
 *
 * <ul>
 *   <li>{@value #TRAIN} / {@value #INFER}: {@code "batch"}, the step times {@code "ms": [..]} of one run and
 *       the {@code "threads"} used;
 *       the times of all runs (rounds) of a system are pooled, so a median is over all timed steps;</li>
 *   <li>{@value #PEAK}: {@code "gflops_median"} of a 2048² sgemm, one per round, summarised by their median;</li>
 *   <li>{@value #MEMORY}: {@code "peak_rss_kib"}, the worker's peak resident memory; the largest is kept;</li>
 *   <li>{@value #ENVIRONMENT}: the worker's binary and threads; the first is kept.</li>
 * </ul>
 *
 * The PyTorch reference prints the same {@code train}/{@code infer}/{@code peak_sgemm} objects.
 */
public final class BenchResults {

    static final String TRAIN = "train";
    static final String INFER = "infer";
    static final String PEAK = "peak_sgemm";
    static final String MEMORY = "memory";
    static final String ENVIRONMENT = "environment";

    private final Map<String, Map<Column, List<Double>>> stepMs = new HashMap<>();
    private final Map<String, Long> peakRssKib = new HashMap<>();
    private final Map<String, List<Double>> matmulGflops = new HashMap<>();
    private final Map<String, JsonNode> environments = new HashMap<>();
    private final Map<String, Integer> threads = new HashMap<>();
    private final List<String> notices = new ArrayList<>();
    private final Set<String> skipped = new HashSet<>();
    private String machine = ProcInfo.UNKNOWN;
    private List<String> loadavgBefore = List.of(ProcInfo.UNKNOWN);
    private List<String> loadavgAfter = List.of(ProcInfo.UNKNOWN);

    /** A kind of timed step: training or inference at one batch size, a column of the report. */
    static final class Column {
        final String mode;
        final int batch;

        Column(String mode, int batch) {
            this.mode = mode;
            this.batch = batch;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Column && ((Column) other).mode.equals(mode) && ((Column) other).batch == batch;
        }

        @Override
        public int hashCode() {
            return mode.hashCode() * 31 + batch;
        }

        /** {@code "train b=32"} */
        @Override
        public String toString() {
            return mode + " b=" + batch;
        }
    }

    /** Records one line of {@code worker}'s output; lines of other modes are ignored. */
    void add(String worker, JsonNode line) {
        String mode = line.path("mode").asText("");
        switch (mode) {
            case TRAIN:
            case INFER:
                List<Double> times = stepMs.computeIfAbsent(worker, w -> new HashMap<>())
                        .computeIfAbsent(new Column(mode, line.path("batch").asInt()), c -> new ArrayList<>());
                line.path("ms").forEach(ms -> times.add(ms.asDouble()));
                threads.put(worker, line.path("threads").asInt());
                break;
            case PEAK:
                matmulGflops.computeIfAbsent(worker, w -> new ArrayList<>()).add(line.path("gflops_median").asDouble());
                break;
            case MEMORY:
                peakRssKib.merge(worker, line.path("peak_rss_kib").asLong(), Math::max);
                break;
            case ENVIRONMENT:
                addEnvironment(worker, line);
                break;
            default:
                break;
        }
    }

    /** Records a description of the worker's software (the first one is kept). */
    void addEnvironment(String worker, JsonNode environment) {
        environments.putIfAbsent(worker, environment);
    }

    /** A line for the report, e.g. a skipped system or a failed worker. */
    void addNotice(String notice) {
        notices.add(notice);
    }

    /** A system that was not run, with the reason for the report. */
    void addSkipped(String system, String reason) {
        skipped.add(system);
        addNotice(reason);
    }

    boolean skipped(String system) {
        return skipped.contains(system);
    }

    /** The machine the benchmark ran on, for the report's header. */
    void setMachine(String machine) {
        this.machine = machine;
    }

    void setLoadavg(List<String> before, List<String> after) {
        this.loadavgBefore = before;
        this.loadavgAfter = after;
    }

    /** The median step time of a system in a column, if it has any. */
    OptionalDouble medianMs(String system, Column column) {
        List<Double> times = times(system, column);
        return times.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Stats.median(times));
    }

    /** How many timed steps the median of a column is over. */
    int steps(String system, Column column) {
        return times(system, column).size();
    }

    private List<Double> times(String system, Column column) {
        return stepMs.getOrDefault(system, Map.of()).getOrDefault(column, List.of());
    }

    /** The largest peak resident memory any worker of the system reported. */
    OptionalLong peakRssKib(String system) {
        Long kib = peakRssKib.get(system);
        return kib == null ? OptionalLong.empty() : OptionalLong.of(kib);
    }

    /** The median over the rounds of a peak worker's sgemm GFLOP/s. */
    OptionalDouble matmulGflops(String peakWorker) {
        List<Double> rounds = matmulGflops.getOrDefault(peakWorker, List.of());
        return rounds.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Stats.median(rounds));
    }

    Optional<JsonNode> environment(String worker) {
        return Optional.ofNullable(environments.get(worker));
    }

    /** The threads a system's timing lines say it used. */
    OptionalInt threads(String system) {
        Integer count = threads.get(system);
        return count == null ? OptionalInt.empty() : OptionalInt.of(count);
    }

    String machine() {
        return machine;
    }

    List<String> notices() {
        return Collections.unmodifiableList(notices);
    }

    List<String> loadavgBefore() {
        return loadavgBefore;
    }

    List<String> loadavgAfter() {
        return loadavgAfter;
    }
}
