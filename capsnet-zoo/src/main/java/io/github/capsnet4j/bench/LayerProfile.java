package io.github.capsnet4j.bench;

import io.github.capsnet4j.zoo.CapsNetGraph;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of a training step and of an inference pass goes, layer by layer: every layer of the graph except
 * the output layers is wrapped in a proxy that times its forward pass ({@code activate}) and its backward pass
 * ({@code backpropGradient}); what the layers do not account for (loss layers, the mask vertex, the updater, DL4J's
 * bookkeeping) is the rest. Timings are milliseconds per step, averaged over the timed steps. The proxies sit in the
 * graph's {@code LayerVertex}es (a private field of DL4J's: a profiling tool's liberty, not the library's), pass
 * every call through unchanged and stay for the graph's life; one profile per graph, used from one thread.
 */
public final class LayerProfile {

    /** Name of the time no layer accounts for. */
    public static final String REST = "rest";

    private final ComputationGraph graph;
    private final Map<String, double[]> milliseconds = new LinkedHashMap<>();   // "layer forward" → {sum}
    private boolean timing;

    /** Wraps the layers of {@code graph} (which keeps working as before) in timing proxies. */
    public LayerProfile(ComputationGraph graph) {
        this.graph = graph;
        Field layerField = layerField();
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex instanceof LayerVertex && !(vertex.getLayer() instanceof IOutputLayer)) {
                try {
                    layerField.set(vertex, timed(vertex.getVertexName(), vertex.getLayer()));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot wrap layer " + vertex.getVertexName(), e);
                }
            }
        }
    }

    private static Field layerField() {
        try {
            Field field = LayerVertex.class.getDeclaredField("layer");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's LayerVertex has no field 'layer' (another DL4J version?)", e);
        }
    }

    private Layer timed(String name, Layer layer) {
        return (Layer) Proxy.newProxyInstance(LayerProfile.class.getClassLoader(), new Class<?>[]{Layer.class},
                (proxy, method, arguments) -> {
                    String pass = pass(method);
                    long start = System.nanoTime();
                    try {
                        return method.invoke(layer, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (timing && pass != null) {
                            milliseconds.computeIfAbsent(name + " " + pass, key -> new double[1])[0] += (System.nanoTime() - start) / 1e6;
                        }
                    }
                });
    }

    private static String pass(Method method) {
        switch (method.getName()) {
            case "activate":
                return "forward";
            case "backpropGradient":
                return "backward";
            default:
                return null;
        }
    }

    /** Milliseconds per training step on {@code batch} by layer and pass, plus {@link #REST}, after {@code warmup} untimed steps. */
    public Map<String, Double> trainingStep(MultiDataSet batch, int warmup, int steps) {
        return profile(() -> graph.fit(batch), warmup, steps);
    }

    /** Milliseconds per inference pass on {@code images} by layer, plus {@link #REST}, after {@code warmup} untimed passes. */
    public Map<String, Double> inference(INDArray images, int warmup, int passes) {
        INDArray[] inputs = CapsNetGraph.inferenceInputs(graph, images);
        return profile(() -> graph.output(false, inputs), warmup, passes);
    }

    private Map<String, Double> profile(Runnable step, int warmup, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("at least one timed step, got " + steps);
        }
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        milliseconds.clear();
        timing = true;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < steps; i++) {
                step.run();
            }
        } finally {
            timing = false;
        }
        double total = (System.nanoTime() - start) / 1e6 / steps;
        Map<String, Double> perStep = new LinkedHashMap<>();
        double layers = 0;
        for (Map.Entry<String, double[]> entry : milliseconds.entrySet()) {
            double ms = entry.getValue()[0] / steps;
            perStep.put(entry.getKey(), ms);
            layers += ms;
        }
        perStep.put(REST, total - layers);
        return perStep;
    }

    /**
     * Profiles the zoo's CapsNet ({@code CapsNetMnist} with its decoder, as the benchmark's "ours") in this process on
     * the benchmark's random batches: a training step at each of {@code batches}, inference at each of
     * {@code inferBatches}, as a Markdown report.
     */
    public static String ofCapsNet(List<Integer> batches, List<Integer> inferBatches, int warmup, int steps) {
        ComputationGraph graph = CapsNetMnist.builder().build().init();
        LayerProfile profile = new LayerProfile(graph);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "# Where the time goes: ours, layer by layer%n%n"
                + "Milliseconds per step, averaged over %d steps after %d warm-up steps, ND4J threads: %d.%n", steps, warmup,
                Nd4j.getEnvironment().maxThreads()));
        for (int batch : batches) {
            DataSet data = BenchWorker.randomBatch(graph, batch);
            out.append(table("training step, batch " + batch,
                    profile.trainingStep(CapsNetGraph.trainingBatch(data, true), warmup, steps)));
            if (inferBatches.contains(batch)) {
                out.append(table("inference, batch " + batch, profile.inference(data.getFeatures(), warmup, steps)));
            }
        }
        return out.toString();
    }

    /** A Markdown table of one profile: what, milliseconds, share of the total. */
    public static String table(String title, Map<String, Double> profile) {
        double total = profile.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### %s: %.1f ms%n%n| layer and pass | ms | share |%n|---|---:|---:|%n",
                title, total));
        profile.forEach((what, ms) -> out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f %% |%n", what, ms, 100 * ms / total)));
        return out.toString();
    }
}
