package io.github.capsnet4j.zoo;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Transfer learning for the CapsNet: a new {@link CapsNetMnist} network, e.g. for another number of classes, whose
 * convolution ({@value CapsNetGraph#CONVOLUTION}) and primary capsules ({@value CapsNetGraph#PRIMARY_CAPS}) start
 * from a trained network's. These turn pixels into the primary capsules u_i (paper section 4) and do not depend
 * on the classes; DigitCaps, whose weights W_ij map every u_i to a prediction û_j|i for every class capsule j
 * (eq. 2), and the decoder, which reads the class capsules, start afresh because their shapes follow the classes.
 *
 * <p>{@link Mode#FEATURE_EXTRACTION} freezes the copied layers the DL4J way
 * ({@code TransferLearning.GraphBuilder.setFeatureExtractor}: they become {@code FrozenLayer}s that training leaves
 * unchanged); {@link Mode#FINE_TUNING} trains them on with the rest.
 */
public final class CapsNetTransfer {

    /** What happens to the copied layers in training. */
    public enum Mode {
        /** The copied layers are frozen: only DigitCaps and the decoder learn. */
        FEATURE_EXTRACTION,
        /** The copied layers learn on, starting from the source's parameters. */
        FINE_TUNING
    }

    /** The layers whose parameters transfer, in graph order. */
    static final List<String> TRANSFERRED_LAYERS = List.of(CapsNetGraph.CONVOLUTION, CapsNetGraph.PRIMARY_CAPS);

    private CapsNetTransfer() {
    }

    /** A network of {@code configuration} with {@link #TRANSFERRED_LAYERS} copied from {@code source}, frozen or not by {@code mode}. */
    static ComputationGraph transfer(ComputationGraphConfiguration configuration, ComputationGraph source, Mode mode) {
        ComputationGraph network = new ComputationGraph(configuration);
        network.init();
        for (String layer : TRANSFERRED_LAYERS) {
            copyParameters(source, network, layer);
        }
        if (mode == Mode.FINE_TUNING) {
            return network;
        }
        return new TransferLearning.GraphBuilder(network)
                .setFeatureExtractor(TRANSFERRED_LAYERS.get(TRANSFERRED_LAYERS.size() - 1))   // it and everything before it
                .build();
    }

    /**
     * Copies the parameters of layer {@code name} from {@code source} into {@code target} (cast to the target's data type).
     *
     * @throws IllegalArgumentException if either network lacks the layer, or a parameter's shape differs
     */
    static void copyParameters(ComputationGraph source, ComputationGraph target, String name) {
        Map<String, INDArray> from = layer(source, name, "source").paramTable();
        Map<String, INDArray> to = layer(target, name, "new").paramTable();
        if (!from.keySet().equals(to.keySet())) {
            throw new IllegalArgumentException("Layer '" + name + "' has parameters " + from.keySet() + " in the source network but "
                    + to.keySet() + " in the new one; transfer needs the same layer types (networks built by CapsNetMnist).");
        }
        for (Map.Entry<String, INDArray> parameter : from.entrySet()) {
            INDArray destination = to.get(parameter.getKey());
            if (!Arrays.equals(parameter.getValue().shape(), destination.shape())) {
                throw new IllegalArgumentException("Parameter " + parameter.getKey() + " of layer '" + name + "' is "
                        + Arrays.toString(parameter.getValue().shape()) + " in the source network but " + Arrays.toString(destination.shape())
                        + " in the new one. Fix: build the new network with the source's image channels, convolutionChannels and"
                        + " primaryCapsules (the paper's 1, 256 and 32x8 for the pretrained network); numClasses,"
                        + " digitCapsuleDimension, image height and width may differ.");
            }
            destination.assign(parameter.getValue());
        }
    }

    private static Layer layer(ComputationGraph network, String name, String which) {
        GraphVertex vertex = network.getVertex(name);
        if (vertex == null || !vertex.hasLayer()) {
            throw new IllegalArgumentException("The " + which + " network has no layer '" + name + "'; transfer works between networks"
                    + " built by CapsNetMnist (e.g. CapsNetMnist.builder().build().initPretrained(PretrainedType.MNIST)).");
        }
        return vertex.getLayer();
    }
}
