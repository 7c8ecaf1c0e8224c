import io.github.capsnet4j.layers.PrimaryCaps;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.UpdaterUtils;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Converts a capsnet4j ComputationGraph saved by DL4J's ModelSerializer (a training checkpoint with Adam state, or a
 * model without updater) from the PrimaryCaps layout of capsnet4j 0.1 to the current one:
 *
 * <pre>
 *   before:  PrimaryCaps parameters  W [kH, kW, in, out] (YXIO), then b [out]
 *   after:   PrimaryCaps parameters  b [out], then W [out, in, kH, kW] (DL4J's ConvolutionParamInitializer, OIYX)
 * </pre>
 *
 * The updater state (for Adam: m and v; for any DL4J updater: each of its per-parameter state segments) of every
 * parameter is moved exactly as the parameter itself, so training resumes where it stopped. The configuration JSON is
 * rewritten for the current classes (PrimaryCaps becomes a ConvolutionLayer with convolution mode Truncate, which is
 * the old output-size rule; CapsuleLength loses the SameDiff-layer fields). Every other entry of the zip (e.g. a
 * training state) is copied unchanged. Iteration and epoch counts are kept (they live in the configuration).
 *
 * <p>Run with this version's jar on the classpath (after {@code mvn -B -q -DskipTests package}):
 * <pre>
 *   java -cp capsnet-zoo/target/capsnet-zoo.jar capsnet-zoo/tools/ConvertCheckpoint.java IN.zip OUT.zip
 * </pre>
 * IN is only read; OUT must not exist yet. After writing, OUT is restored with ModelSerializer and its parameters and
 * updater state are compared with what was meant to be written.
 */
public class ConvertCheckpoint {

    private static final String CONFIGURATION = "configuration.json";
    private static final String PARAMETERS = "coefficients.bin";
    private static final String UPDATER_STATE = "updaterState.bin";
    private static final String PRIMARY_CAPS = "io.github.capsnet4j.layers.PrimaryCaps";

    /**
     * One parameter: its layer (in the new network), key, old shape (C order, as the old PrimaryCaps laid it out), its
     * offsets in the old and the new flat vectors, and the mapping of its old flat values to its new flat values.
     */
    private static final class Parameter {
        final Layer layer;
        final String key;
        final long length;
        final UnaryOperator<INDArray> toNew;
        long oldOffset;
        long newOffset;

        Parameter(Layer layer, String key, long length, UnaryOperator<INDArray> toNew) {
            this.layer = layer;
            this.key = key;
            this.length = length;
            this.toNew = toNew;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp capsnet-zoo.jar ConvertCheckpoint.java IN.zip OUT.zip");
            System.exit(2);
        }
        Path in = Paths.get(args[0]);
        Path out = Paths.get(args[1]);
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " exists; choose a new file name (IN is never overwritten)");
        }
        Map<String, byte[]> entries = readZip(in);
        if (!entries.containsKey(CONFIGURATION) || !entries.containsKey(PARAMETERS)) {
            throw new IllegalArgumentException(in + " is not a ModelSerializer zip (needs " + CONFIGURATION + " and " + PARAMETERS + ")");
        }

        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        JsonNode root = mapper.readTree(new String(entries.get(CONFIGURATION), StandardCharsets.UTF_8));
        if (!root.has("vertices")) {
            throw new IllegalArgumentException(in + " holds no ComputationGraph configuration");
        }
        List<String> converted = convertConfiguration(mapper, (ObjectNode) root.get("vertices"));
        if (converted.isEmpty()) {
            throw new IllegalArgumentException(in + " has no PrimaryCaps layer in the old layout: nothing to convert"
                    + " (already converted, or not a CapsNet)");
        }
        ComputationGraph network = new ComputationGraph(ComputationGraphConfiguration.fromJson(mapper.writeValueAsString(root)));
        network.init();

        List<Parameter> oldOrder = oldParameterOrder(network, converted);
        INDArray oldParameters = read(entries.get(PARAMETERS));
        long total = oldOrder.stream().mapToLong(p -> p.length).sum();
        if (oldParameters.length() != total || total != network.numParams()) {
            throw new IllegalStateException("parameter counts differ: file " + oldParameters.length() + ", old layout " + total
                    + ", new network " + network.numParams());
        }
        INDArray flatOld = oldParameters.reshape(oldParameters.length());
        INDArray flatNew = network.params().reshape(network.numParams());
        for (Parameter p : oldOrder) {
            segment(flatNew, p.newOffset, p.length).assign(p.toNew.apply(segment(flatOld, p.oldOffset, p.length)));
        }

        INDArray newState = null;
        if (entries.containsKey(UPDATER_STATE)) {
            newState = convertUpdaterState(network, oldOrder, read(entries.get(UPDATER_STATE)));
        }

        Map<String, byte[]> written = new LinkedHashMap<>(entries);
        written.put(CONFIGURATION, network.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        written.put(PARAMETERS, write(network.params()));
        if (newState != null) {
            written.put(UPDATER_STATE, write(newState));
        }
        Path temporary = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".tmp");
        writeZip(temporary, written);
        Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(in));   // as the input's, not the temp file's
        verify(temporary.toFile(), network.params(), newState);
        Files.move(temporary, out, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("converted " + converted + " of " + in + " to " + out + ": " + network.numParams() + " parameters"
                + (newState == null ? ", no updater state" : ", updater state of " + newState.length() + " values moved with them")
                + "; iteration " + network.getConfiguration().getIterationCount() + ", epoch "
                + network.getConfiguration().getEpochCount() + "; verified by restoring it");
    }

    /** Rewrites every old-layout PrimaryCaps node (and CapsuleLength's SameDiff fields are ignored on load); returns their names. */
    private static List<String> convertConfiguration(ObjectMapper mapper, ObjectNode vertices) throws IOException {
        List<String> converted = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = vertices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> vertex = it.next();
            JsonNode layerConf = vertex.getValue().get("layerConf");
            if (layerConf == null || layerConf.get("layer") == null) {
                continue;
            }
            ObjectNode old = (ObjectNode) layerConf.get("layer");
            if (!PRIMARY_CAPS.equals(old.path("@class").asText()) || old.has("nout")) {
                continue;                                                   // not PrimaryCaps, or already in the new layout
            }
            PrimaryCaps.Builder builder = PrimaryCaps.builder()
                    .capsuleChannels(old.get("capsuleChannels").asInt())
                    .capsuleDimension(old.get("capsuleDimension").asInt())
                    .kernelSize(old.get("kernelSize").get(0).asInt(), old.get("kernelSize").get(1).asInt())
                    .stride(old.get("stride").get(0).asInt(), old.get("stride").get(1).asInt())
                    .padding(old.get("padding").get(0).asInt(), old.get("padding").get(1).asInt())
                    .convolutionMode(ConvolutionMode.Truncate);            // the old output size rule, floor((in + 2p − k)/s) + 1
            long configured = old.path("configuredInputChannels").asLong(0);
            if (configured > 0) {
                builder.nIn(configured);
            }
            // the new layer as a graph builder configures it (DL4J's defaults for what the old JSON does not say)
            ComputationGraphConfiguration alone = new NeuralNetConfiguration.Builder().graphBuilder()
                    .addInputs("input").setInputTypes(InputType.convolutional(old.get("inputHeight").asLong(),
                            old.get("inputWidth").asLong(), old.get("inputChannels").asLong()))
                    .addLayer(vertex.getKey(), builder.build(), "input").setOutputs(vertex.getKey()).build();
            ObjectNode fresh = (ObjectNode) mapper.readTree(alone.toJson()).get("vertices").get(vertex.getKey())
                    .get("layerConf").get("layer");
            for (Iterator<String> names = old.fieldNames(); names.hasNext(); ) {
                String name = names.next();                               // BaseLayer settings: updater, init, regularisation...
                if (fresh.has(name) && !name.equals("@class") && !name.equals("activationFn")) {
                    fresh.set(name, old.get(name));
                }
            }
            ((ObjectNode) layerConf).set("layer", fresh);
            converted.add(vertex.getKey());
        }
        return converted;
    }

    /**
     * Every parameter of the network in the OLD flat order (topological layer order; within a layer its flat order, with
     * PrimaryCaps as W then b), with its offsets in both vectors. Only PrimaryCaps' W changes its values' order: old C
     * order [kH, kW, in, out] to new C order [out, in, kH, kW]; every other parameter keeps its flat layout.
     */
    private static List<Parameter> oldParameterOrder(ComputationGraph network, List<String> converted) {
        List<Parameter> order = new ArrayList<>();
        GraphVertex[] vertices = network.getVertices();
        long oldOffset = 0;
        for (int index : network.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            if (!vertex.hasLayer() || vertex.getLayer().numParams() == 0) {
                continue;
            }
            Layer layer = vertex.getLayer();
            List<Parameter> parameters = new ArrayList<>();
            if (converted.contains(vertex.getVertexName())) {
                INDArray w = layer.getParam("W");                        // new [out, in, kH, kW], C order
                long out = w.size(0), in = w.size(1), kh = w.size(2), kw = w.size(3);
                parameters.add(new Parameter(layer, "W", w.length(),
                        old -> old.reshape('c', kh, kw, in, out).permute(3, 2, 0, 1).dup('c').reshape(w.length())));
                parameters.add(new Parameter(layer, "b", out, UnaryOperator.identity()));
            } else {
                layer.paramTable().forEach((key, value) -> parameters.add(new Parameter(layer, key, value.length(),
                        UnaryOperator.identity())));
                parameters.sort(java.util.Comparator.comparingLong(p -> layer.getParam(p.key).offset()));   // flat order
            }
            for (Parameter p : parameters) {
                p.oldOffset = oldOffset;
                p.newOffset = layer.getParam(p.key).offset() - network.params().offset();   // where its view starts
                oldOffset += p.length;
                order.add(p);
            }
        }
        return order;
    }

    /** {@code length} values of a rank-1 array from {@code offset}, as a view. */
    private static INDArray segment(INDArray flat, long offset, long length) {
        return flat.get(NDArrayIndex.interval(offset, offset + length));
    }

    /**
     * Moves each parameter's updater state. DL4J keeps one state block per run of consecutive parameters with equal
     * updater settings; within a block covering L flat parameters an updater with k state values per parameter stores k
     * segments of length L (Adam: m, then v), each element beside the parameter at the same flat position. The old
     * blocks are rebuilt with DL4J's own rule on the old parameter order; the new ones are the new network's.
     */
    private static INDArray convertUpdaterState(ComputationGraph network, List<Parameter> oldOrder, INDArray oldState) {
        INDArray flatOld = oldState.reshape(oldState.length());
        INDArray newState = network.getUpdater().getStateViewArray();
        INDArray flatNew = newState.reshape(newState.length());
        Map<String, Long> newBlockOf = new LinkedHashMap<>();             // "layer/key" → index of its new block
        List<UpdaterBlock> newBlocks = network.getUpdater().getUpdaterBlocks();
        for (int b = 0; b < newBlocks.size(); b++) {
            for (UpdaterBlock.ParamState state : newBlocks.get(b).getLayersAndVariablesInBlock()) {
                newBlockOf.put(name(state.getLayer(), state.getParamName()), (long) b);
            }
        }
        int start = 0;
        long stateOffset = 0;
        while (start < oldOrder.size()) {
            int end = start + 1;                                           // the old block: DL4J's rule on the old order
            while (end < oldOrder.size() && UpdaterUtils.updaterConfigurationsEquals(oldOrder.get(end - 1).layer,
                    oldOrder.get(end - 1).key, oldOrder.get(end).layer, oldOrder.get(end).key)) {
                end++;
            }
            long blockStart = oldOrder.get(start).oldOffset;
            long blockLength = 0;
            long blockState = 0;
            for (Parameter p : oldOrder.subList(start, end)) {
                blockLength += p.length;
                blockState += p.layer.getConfig().getUpdaterByParam(p.key).stateSize(p.length);
            }
            long k = blockState / blockLength;                             // state values per parameter (Adam: 2)
            for (Parameter p : oldOrder.subList(start, end)) {
                UpdaterBlock block = newBlocks.get(newBlockOf.get(name(p.layer, p.key)).intValue());
                long newLength = block.getParamOffsetEnd() - block.getParamOffsetStart();
                long newK = (block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart()) / newLength;
                if (newK != k) {
                    throw new IllegalStateException("updater state of " + name(p.layer, p.key) + ": " + k
                            + " values per parameter in the old layout, " + newK + " in the new one");
                }
                for (long s = 0; s < k; s++) {                             // the state lies as the parameters lie
                    long from = stateOffset + s * blockLength + (p.oldOffset - blockStart);
                    long to = block.getUpdaterViewOffsetStart() + s * newLength + (p.newOffset - block.getParamOffsetStart());
                    segment(flatNew, to, p.length).assign(p.toNew.apply(segment(flatOld, from, p.length)));
                }
            }
            stateOffset += blockState;
            start = end;
        }
        if (stateOffset != oldState.length()) {
            throw new IllegalStateException("the updater state holds " + oldState.length() + " values but the old layout needs "
                    + stateOffset + ": not an updater state of this network");
        }
        return newState;
    }

    private static String name(Trainable layer, String key) {
        return layer.getConfig().getLayerName() + "/" + key;               // a Layer, or the LayerVertex holding it
    }

    private static void verify(File file, INDArray parameters, INDArray state) throws IOException {
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, state != null);
        if (!restored.params().equals(parameters)) {
            throw new IllegalStateException("the written parameters do not restore identically");
        }
        if (state != null && !restored.getUpdater().getStateViewArray().equals(state)) {
            throw new IllegalStateException("the written updater state does not restore identically");
        }
    }

    private static INDArray read(byte[] bytes) throws IOException {
        return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static byte[] write(INDArray array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> readZip(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
    }
}
