package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import io.github.capsnet4j.ops.Detach;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

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
 */
public class CapsuleMask extends SameDiffVertex {

    static final String CAPSULES_INPUT = "capsules";
    static final String LABELS_INPUT = "labels";

    private long capsules;
    private long capsuleDimension;

    public CapsuleMask() {
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(CAPSULES_INPUT, LABELS_INPUT);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        SDVariable v = inputs.get(CAPSULES_INPUT);
        SDVariable labels = inputs.get(LABELS_INPUT);
        SDVariable squaredLengths = v.mul(v).sum(2);                                     // [batch, capsules]
        SDVariable predicted = sd.oneHot(sd.argmax(squaredLengths, 1), Math.toIntExact(capsules), 1, 1.0, 0.0,
                v.dataType());                                                          // longest capsule, one-hot
        SDVariable labelled = Detach.detach(sd, sd.castTo(labels.sum(true, 1).gt(0.0), v.dataType())); // 1 where a row has a label
        SDVariable mask = labelled.mul(labels)
                .add(Detach.detach(sd, labelled.rsub(1.0).mul(predicted)));              // the label, else the prediction
        SDVariable masked = v.mul(mask.reshape(-1, capsules, 1))
                .reshape(-1, capsules * capsuleDimension);
        return SameDiffGradientFix.halveBackward(sd, masked);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputTypes) {
        if (inputTypes.length != 2) {
            throw new InvalidInputTypeException("CapsuleMask takes two inputs (capsules, labels) but got " + inputTypes.length
                    + ". Add it as graph.addVertex(name, new CapsuleMask(), capsulesLayer, labelsInput).");
        }
        InputType.InputTypeRecurrent in = AbstractCapsuleLayer.requireCapsules("CapsuleMask (first input)", inputTypes[0]);
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
    public void validateInput(INDArray[] input) {
        INDArray v = input[0];
        INDArray labels = input[1];
        if (v.rank() != 3 || v.size(1) != capsules || v.size(2) != capsuleDimension) {
            throw new IllegalArgumentException("CapsuleMask expects capsules [batch, " + capsules + ", " + capsuleDimension
                    + "] but got " + Arrays.toString(v.shape()) + ".");
        }
        if (labels.rank() != 2 || labels.size(0) != v.size(0) || labels.size(1) != capsules) {
            throw new IllegalArgumentException("CapsuleMask expects labels [" + v.size(0) + ", " + capsules + "] (one-hot, or all zeros"
                    + " to mask by the prediction) but got " + Arrays.toString(labels.shape())
                    + ". Feed one-hot labels with one column per class; at inference feed Nd4j.zeros(batch, " + capsules + ").");
        }
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
