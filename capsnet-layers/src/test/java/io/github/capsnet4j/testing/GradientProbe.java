package io.github.capsnet4j.testing;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test-only identity vertex that records the gradient flowing back through it, to read gradients with respect to a
 * graph's INPUTS: put it right after the input ({@code addVertex("vGrad", new GradientProbe(), "v")}) and feed the
 * layer from it. DL4J 1.0.0-M2.1's {@code ComputationGraph} has no {@code calculateGradients} (only
 * {@code MultiLayerNetwork} has), and the input vertices' own gradients live in a workspace that is closed before
 * {@code computeGradientAndScore()} returns, so this vertex copies the gradient out of any workspace while it is valid.
 *
 * <p>Like {@code MultiLayerNetwork.calculateGradients}, the recorded gradient is NOT divided by the batch size (DL4J
 * divides in the updater): it is the gradient of the SUM over the batch of the per-example losses.
 */
public class GradientProbe extends GraphVertex {

    /** Runs forward and backward on (inputs, labels) and returns the gradient recorded by the named probe. */
    public static INDArray gradient(ComputationGraph graph, String probe, INDArray[] inputs, INDArray[] labels) {
        Runtime vertex = (Runtime) graph.getVertex(probe);
        vertex.recorded = null;
        graph.setInputs(inputs);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        if (vertex.recorded == null) {
            throw new IllegalStateException("no gradient reached probe " + probe);
        }
        return vertex.recorded;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        return inputTypes[0];
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int index,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDataType) {
        return new Runtime(graph, name, index, networkDataType);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, GradientProbe.class, inputTypes[0], inputTypes[0]).standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public GraphVertex clone() {
        return new GradientProbe();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GradientProbe;
    }

    @Override
    public int hashCode() {
        return GradientProbe.class.hashCode();
    }

    /** The runtime vertex: identity forward, identity backward, keeping a detached copy of the gradient. */
    static final class Runtime extends BaseGraphVertex {

        private INDArray recorded;

        Runtime(ComputationGraph graph, String name, int index, DataType dataType) {
            super(graph, name, index, null, null, dataType);
        }

        @Override
        public boolean hasLayer() {
            return false;
        }

        @Override
        public Layer getLayer() {
            return null;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0]);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                recorded = epsilon.dup();
            }
            return new Pair<>(null, new INDArray[]{workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon)});
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
            return maskArrays == null ? null : new Pair<>(maskArrays[0], currentMaskState);
        }

        @Override
        public String toString() {
            return "GradientProbe(" + vertexName + ")";
        }
    }
}
