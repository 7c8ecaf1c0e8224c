package io.github.capsnet4j.train;

import io.github.capsnet4j.layers.Convolution;
import io.github.capsnet4j.layers.Dense;
import io.github.capsnet4j.layers.Output;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a resumed run's network is the one in its checkpoint: the two graph configurations are compared as
 * JSON, value by value, without the counters that training advances ({@value #ITERATIONS}, {@value #EPOCHS}) and
 * without settings that change only how fast the same values are computed ({@value #INPUT_GRADIENT}: whether a
 * convolution reading the image computes the image's gradient, which nothing uses; DL4J's {@code DenseLayer} and
 * {@code OutputLayer} against {@link Dense} and {@link Output}, which compute them with {@code Nd4j.gemm}).
 * Both sides are serialized by this version's classes, so a property that an older file lacks gets the same
 * default on both. A difference reads e.g. {@code "network: vertices/digitcaps/layerConf/layer/routingIterations is 3
 * in the run but 2 now"}.
 */
final class NetworkComparison {

    private static final String ITERATIONS = "iterationCount";
    private static final String EPOCHS = "epochCount";
    private static final String INPUT_GRADIENT = "inputGradient";
    /** Values DL4J derives from the vertices, which would only repeat a difference found there. */
    private static final List<String> DERIVED = List.of("topologicalOrder", "topologicalOrderStr", "variables");
    /** What a reader grasps first: the graph's inputs and outputs, then its vertices; the rest after them. */
    private static final List<String> FIRST = List.of("networkInputs", "networkOutputs", "vertices", "vertexInputs");
    /** DL4J's layers and this library's forms of them, which compute the same values faster from the same parameters. */
    private static final Map<String, String> SAME_LAYER = Map.of(
            DenseLayer.class.getName(), Dense.class.getName(),
            OutputLayer.class.getName(), Output.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkComparison() {
    }

    /** The differences of {@code now} from the {@code run}'s configuration, one phrase each; empty if none. */
    static List<String> differences(ComputationGraphConfiguration run, ComputationGraphConfiguration now) {
        List<String> differences = new ArrayList<>();
        compare("network: ", tree(run), tree(now), differences);
        return differences;
    }

    private static JsonNode tree(ComputationGraphConfiguration configuration) {
        try {
            JsonNode tree = JSON.readTree(configuration.toJson());
            withoutCounters(tree);
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException("DL4J's own JSON could not be parsed", e);
        }
    }

    private static void withoutCounters(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove(List.of(ITERATIONS, EPOCHS));
            if (Convolution.class.getName().equals(node.path("@class").asText())) {
                ((ObjectNode) node).remove(INPUT_GRADIENT);
            }
            String fasterForm = SAME_LAYER.get(node.path("@class").asText());
            if (fasterForm != null) {
                ((ObjectNode) node).put("@class", fasterForm);
            }
            ((ObjectNode) node).remove(DERIVED);
        }
        node.forEach(NetworkComparison::withoutCounters);
    }

    private static int rank(String name) {
        int rank = FIRST.indexOf(name);
        return rank < 0 ? FIRST.size() : rank;
    }

    private static void compare(String path, JsonNode run, JsonNode now, List<String> differences) {
        if (run.equals(now)) {
            return;
        }
        if (run.isObject() && now.isObject()) {
            Set<String> names = new TreeSet<>(Comparator.comparing(NetworkComparison::rank).thenComparing(name -> name));
            run.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path.endsWith(" ") ? path + name : path + "/" + name;
                if (!run.has(name)) {
                    differences.add(child + " is absent in the run but present now");
                } else if (!now.has(name)) {
                    differences.add(child + " is present in the run but absent now");
                } else {
                    compare(child, run.get(name), now.get(name), differences);
                }
            }
            return;
        }
        if (run.isArray() && now.isArray() && run.size() == now.size()) {
            Iterator<JsonNode> a = run.elements();
            Iterator<JsonNode> b = now.elements();
            for (int i = 0; a.hasNext(); i++) {
                compare(path + "[" + i + "]", a.next(), b.next(), differences);
            }
            return;
        }
        differences.add(path + " is " + run + " in the run but " + now + " now");
    }
}
