package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.runtime.CapsuleMaskVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder's input (paper section 4.1): "we mask out all but the activity vector of the correct digit
 * capsule". Inputs: capsules {@code v [batch, capsules, dimension]} and labels {@code T [batch, capsules]};
 * output: the flattened capsules {@code [batch, capsules·dimension]} with every capsule but the labelled
 * one zeroed, {@code v_k · T_k}.
 *
 * <p>In training the labels are the true one-hot labels. At inference there is no label: a row of all
 * zeros selects the LONGEST capsule instead (the prediction), so
 * {@code graph.output(images, Nd4j.zeros(batch, classes))} reconstructs from the predicted class.
 *
 * <p>The output is flat on purpose: a dense layer right after a {@code [batch, capsules, dimension]}
 * output would get DL4J's automatic RNN-to-feed-forward preprocessor, which scrambles capsules.
 *
 * <p>This is a plain {@code GraphVertex} ({@link CapsuleMaskVertex} does the work in ND4J), not a
 * {@code SameDiffVertex}: in DL4J 1.0.0-M2.1 a SameDiff vertex crashes the JVM or produces NaN from the
 * second training step on when workspaces are enabled (the default).
 */
public class CapsuleMask extends GraphVertex {

    private long capsules;
    private long capsuleDimension;

    public CapsuleMask() {
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        if (inputTypes.length != 2) {
            throw new InvalidInputTypeException("CapsuleMask takes two inputs (capsules, labels) but got " + inputTypes.length
                    + ". Add it as graph.addVertex(name, new CapsuleMask(), capsulesLayer, labelsInput).");
        }
        InputType.InputTypeRecurrent in = CapsuleTypes.requireCapsules("CapsuleMask (first input)", inputTypes[0]);
        if (!(inputTypes[1] instanceof InputType.InputTypeFeedForward) || inputTypes[1].arrayElementsPerExample() != in.getSize()) {
            throw new InvalidInputTypeException("CapsuleMask's second input must be one-hot labels of width " + in.getSize()
                    + " (one per capsule), InputType.feedForward(" + in.getSize() + "), but got " + inputTypes[1]
                    + ". Declare the labels graph input with as many classes as the capsule layer has capsules.");
        }
        capsules = in.getSize();
        capsuleDimension = in.getTimeSeriesLength();
        return InputType.feedForward(capsules * capsuleDimension);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int index,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDataType) {
        return new CapsuleMaskVertex(graph, name, index, capsules, capsuleDimension, networkDataType);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType output = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, CapsuleMask.class, inputTypes[0], output).standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public GraphVertex clone() {
        CapsuleMask copy = new CapsuleMask();
        copy.capsules = capsules;
        copy.capsuleDimension = capsuleDimension;
        return copy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CapsuleMask && ((CapsuleMask) other).capsules == capsules
                && ((CapsuleMask) other).capsuleDimension == capsuleDimension;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(capsules) * 31 + Long.hashCode(capsuleDimension);
    }

    public long getCapsules() {
        return capsules;
    }

    public void setCapsules(long capsules) {
        this.capsules = capsules;
    }

    public long getCapsuleDimension() {
        return capsuleDimension;
    }

    public void setCapsuleDimension(long capsuleDimension) {
        this.capsuleDimension = capsuleDimension;
    }
}
