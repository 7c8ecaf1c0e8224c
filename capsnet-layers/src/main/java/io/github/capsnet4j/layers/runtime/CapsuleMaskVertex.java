package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.CapsuleMask;
import io.github.capsnet4j.ops.Precision;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
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

import java.util.Arrays;

/**
 * The computation of {@link CapsuleMask}: forward {@code out = flatten(v · mask)}, backward
 * {@code dL/dv = dL/dout · mask}, where the mask is the label row, or the one-hot longest capsule for
 * rows without a label. The mask is constant with respect to v (as in the paper), and labels get no
 * gradient (they are data). Both inputs are cast to the network's data type; the sizes are the
 * configuration's, given at construction.
 */
public class CapsuleMaskVertex extends BaseGraphVertex {

    private final long capsules;
    private final long capsuleDimension;

    public CapsuleMaskVertex(ComputationGraph graph, String name, int index, long capsules, long capsuleDimension,
                             DataType dataType) {
        super(graph, name, index, null, null, dataType);
        Precision.requireSupported(dataType, "CapsuleMask '" + name + "'");
        this.capsules = capsules;
        this.capsuleDimension = capsuleDimension;
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
        INDArray v = inputs[0].castTo(dataType);
        long batch = v.size(0);
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            return v.mul(mask(v).reshape(batch, capsules, 1)).reshape('c', batch, capsules * capsuleDimension);
        }
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray v = inputs[0].castTo(dataType);
        long batch = v.size(0);
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            INDArray dLdv = epsilon.reshape('c', batch, capsules, capsuleDimension).mul(mask(v).reshape(batch, capsules, 1));
            return new Pair<>(null, new INDArray[]{dLdv, Nd4j.zeros(inputs[1].dataType(), inputs[1].shape())});
        }
    }

    /** {@code [batch, capsules]}: each row the label, or the one-hot longest capsule where the label row is all zero. */
    private INDArray mask(INDArray v) {
        INDArray labels = inputs[1];
        checkShapes(v, labels);
        INDArray mask = labels.castTo(dataType).dup();
        INDArray labelSums = labels.sum(1);
        INDArray longest = Nd4j.argMax(v.mul(v).sum(2), 1);                // index of the longest capsule per row
        for (long row = 0; row < v.size(0); row++) {
            if (labelSums.getDouble(row) == 0) {
                mask.putScalar(row, longest.getLong(row), 1.0);
            }
        }
        return mask;
    }

    private void checkShapes(INDArray v, INDArray labels) {
        if (v.rank() != 3 || v.size(1) != capsules || v.size(2) != capsuleDimension) {
            throw new IllegalArgumentException("CapsuleMask '" + vertexName + "' expects capsules [batch, " + capsules + ", "
                    + capsuleDimension + "] but got " + Arrays.toString(v.shape()) + ".");
        }
        if (labels.rank() != 2 || labels.size(0) != v.size(0) || labels.size(1) != capsules) {
            throw new IllegalArgumentException("CapsuleMask '" + vertexName + "' expects labels [" + v.size(0) + ", " + capsules
                    + "] (one-hot, or all zeros to mask by the prediction) but got " + Arrays.toString(labels.shape())
                    + ". Feed one-hot labels with one column per class; at inference feed Nd4j.zeros(batch, " + capsules + ").");
        }
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("CapsuleMask has no parameters, so no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return null;   // capsules carry no per-time-step mask
    }

    @Override
    public String toString() {
        return "CapsuleMaskVertex(name=\"" + vertexName + "\", capsules=" + capsules + ", dimension=" + capsuleDimension + ")";
    }
}
