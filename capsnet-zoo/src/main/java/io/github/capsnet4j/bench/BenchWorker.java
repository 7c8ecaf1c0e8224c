package io.github.capsnet4j.bench;

import io.github.capsnet4j.zoo.CapsNetGraph;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The benchmark's worker JVM, one per system and round, so that each system's peak memory is its own.
 * {@code BenchWorker ours|builtin BATCHES INFER_BATCHES WARMUP REPS} builds the network, and for every
 * batch size times {@code REPS} training steps ({@code graph.fit}: forward, backward, Adam update) after
 * {@code WARMUP} untimed ones, then, at the inference batch sizes, as many {@code graph.output(false,
 * images, zeros)} (inference masks by the prediction: the label input is all zeros). The batch is one
 * fixed batch of uniform random images and random one-hot labels, as in the PyTorch reference.
 * {@code BenchWorker nd4j-peak} measures the {@link MatmulPeak} instead.
 *
 * <p>It prints one JSON object per line on stdout (see {@link BenchResults}): first the environment (ND4J
 * binary, BLAS, threads), then a line per timing, and last its own peak resident memory ({@code VmHWM},
 * read from {@code /proc/self/status} just before it exits).
 * Everything else it prints is log.
 */
public final class BenchWorker {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The worker JVM's heap and ND4J's off-heap limits (the built-in layers need about 9 GB at batch 128). */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G");
    private static final long SEED = 1234;

    private BenchWorker() {
    }

    /** The command that starts a worker JVM with this JVM's executable and class path. */
    static List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchWorker.class.getName());
        command.addAll(Arrays.asList(arguments));
        return command;
    }

    /** Runs the worker and exits: 0 when done, 1 after a failure (its stack trace goes to stderr). */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {   // including OutOfMemoryError: the benchmark reports the exit status
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);   // do not wait for ND4J's non-daemon threads
    }

    private static void run(String[] args) throws JsonProcessingException {
        String what = args.length > 0 ? args[0] : "";
        boolean peak = what.equals(MatmulPeak.WORKER) && args.length == 1;
        boolean ours = what.equals(BenchSystem.OURS.id());
        if (!peak && !((ours || what.equals(BenchSystem.BUILTIN.id())) && args.length == 5)) {
            throw new IllegalArgumentException("usage: BenchWorker ours|builtin BATCHES INFER_BATCHES WARMUP REPS | BenchWorker "
                    + MatmulPeak.WORKER + "; got " + Arrays.toString(args));
        }
        emit(environment(what));
        if (peak) {
            emit(MatmulPeak.measure());
            return;
        }
        ComputationGraph graph = ours ? CapsNetMnist.builder().build().init() : BuiltinCapsNet.init();
        List<Integer> inferBatches = batchSizes(args[2]);
        for (int batch : batchSizes(args[1])) {
            time(what, graph, batch, inferBatches.contains(batch), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
        OptionalLong peakRssKib = ProcInfo.selfPeakRssKib();
        if (peakRssKib.isPresent()) {
            emit(JSON.createObjectNode().put("system", what).put("mode", BenchResults.MEMORY)
                    .put("peak_rss_kib", peakRssKib.getAsLong()));
        }
    }

    private static void time(String system, ComputationGraph graph, int batch, boolean infer, int warmup, int reps)
            throws JsonProcessingException {
        DataSet data = randomBatch(graph, batch);
        MultiDataSet trainingBatch = CapsNetGraph.trainingBatch(data, CapsNetGraph.hasDecoder(graph));
        emit(timingLine(system, BenchResults.TRAIN, steps(warmup, reps, () -> graph.fit(trainingBatch))).put("batch", batch));
        if (infer) {
            INDArray[] inputs = CapsNetGraph.inferenceInputs(graph, data.getFeatures());
            emit(timingLine(system, BenchResults.INFER, steps(warmup, reps, () -> graph.output(false, inputs)))
                    .put("batch", batch));
        }
    }

    /** {@code batch} random 28×28 images with random one-hot labels, the same for every system (seeded by the batch size). */
    static DataSet randomBatch(ComputationGraph graph, int batch) {
        int classes = CapsNetGraph.numClasses(graph);
        Nd4j.getRandom().setSeed(SEED + batch);
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, classes);
        Random random = new Random(SEED + batch);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, random.nextInt(classes), 1.0);
        }
        return new DataSet(images, labels);
    }

    /** Milliseconds of each of {@code reps} steps after {@code warmup} untimed ones. */
    private static List<Double> steps(int warmup, int reps, Runnable step) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            step.run();
            times.add((System.nanoTime() - start) / 1e6);
        }
        return times;
    }

    /** A timing line in the PyTorch reference's format. */
    static ObjectNode timingLine(String system, String mode, List<Double> times) {
        ObjectNode line = JSON.createObjectNode().put("system", system).put("mode", mode);
        ArrayNode ms = line.putArray("ms");
        times.forEach(ms::add);
        line.put("median_ms", Stats.median(times));
        ArrayNode loadavg = line.putArray("loadavg");
        ProcInfo.loadavg().forEach(loadavg::add);
        line.put("threads", Nd4j.getEnvironment().maxThreads());
        return line;
    }

    /**
     * ND4J's binary (the classifier of the loaded native library, e.g. {@code linux-x86_64-onednn-avx2}), its
     * instruction set and the best one for this CPU (DL4J logs these as "Binary level ... optimization level
     * ..."), its build flags, BLAS and thread counts.
     */
    private static ObjectNode environment(String system) {
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();   // loads the backend first
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        Path library = Path.of(Loader.getLoadedLibraries().getOrDefault("nd4jcpu", ProcInfo.UNKNOWN));
        String build = Arrays.stream(ops.buildInfo().split("\n")).map(String::trim).filter(flag -> flag.startsWith("HAVE_"))
                .collect(Collectors.joining(" "));
        return JSON.createObjectNode().put("system", system).put("mode", BenchResults.ENVIRONMENT)
                .put("nd4j_binary", String.valueOf(library.getParent() == null ? library : library.getParent().getFileName()))
                .put("binary_level", levelName(ops.binaryLevel()))
                .put("cpu_level", levelName(ops.optimalLevel()))
                .put("build", build)
                .put("blas_vendor", String.valueOf(info.get("blas.vendor")))
                .put("omp_threads", String.valueOf(info.get("omp.threads")))
                .put("blas_threads", String.valueOf(info.get("blas.threads")))
                .put("java", System.getProperty("java.version"));
    }

    /** DL4J's names of its CPU binary levels. */
    private static String levelName(int level) {
        switch (level) {
            case 3:
                return "AVX512";
            case 2:
                return "AVX/AVX2";
            default:
                return "Generic x86";
        }
    }

    private static List<Integer> batchSizes(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
    }

    private static void emit(ObjectNode line) throws JsonProcessingException {
        System.out.println(JSON.writeValueAsString(line));
        System.out.flush();
    }
}
