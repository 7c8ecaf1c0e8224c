package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.DigitCaps;
import io.github.capsnet4j.layers.params.DigitCapsParamInitializer;
import io.github.capsnet4j.ops.CapsulePredictions;
import io.github.capsnet4j.ops.DynamicRouting;
import io.github.capsnet4j.ops.Precision;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The computation of {@link DigitCaps} (paper eq. 2 and Procedure 1):
 *
 * <pre>
 *   forward:   û = u · W                      ({@link CapsulePredictions#forward}, held by input capsule)
 *              v = route(û)                   ({@link DynamicRouting#forward}, which records its iterations)
 *   backward:  ∂L/∂û = route'ᵀ ∂L/∂v,   ∂L/∂W, ∂L/∂u = CapsulePredictions' backward pass
 * </pre>
 *
 * In training the forward pass is computed in the activations workspace, which lives until the backward
 * pass of the step, and kept for it: û and the routing run once per step. The input is cast to the network's
 * data type; the sizes are the configuration's, read once.
 */
public class DigitCapsLayer extends BaseLayer<DigitCaps> {

    private final int capsules;
    private final int capsuleDimension;
    private final int routingIterations;
    private final boolean detachInnerIterations;
    private final long inputCapsules;
    private final long inputDimension;
    private final ForwardCache<Pair<CapsulePredictions.Trace, DynamicRouting.Trace>> kept = new ForwardCache<>();

    public DigitCapsLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        DigitCaps layer = (DigitCaps) conf.getLayer();
        Precision.requireSupported(dataType, "DigitCaps '" + layer.getLayerName() + "'");
        this.capsules = layer.getCapsules();
        this.capsuleDimension = layer.getCapsuleDimension();
        this.routingIterations = layer.getRoutingIterations();
        this.detachInnerIterations = layer.isDetachInnerIterations();
        this.inputCapsules = layer.getInputCapsules();
        this.inputDimension = layer.getInputDimension();
    }

    @Override
    public Type type() {
        return Type.RECURRENT;                                             // [batch, capsules, dimension], as DL4J's CapsuleLayer
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (input.rank() != 3 || input.size(1) != inputCapsules || input.size(2) != inputDimension) {
            throw new IllegalArgumentException("DigitCaps expects capsules [batch, " + inputCapsules + ", " + inputDimension + "] but got "
                    + Arrays.toString(input.shape()) + ". Check the layer before it (PrimaryCaps output) and the input size.");
        }
        Pair<CapsulePredictions.Trace, DynamicRouting.Trace> forward;
        try (MemoryWorkspace ignored = training ? keptUntilBackward(workspaceMgr) : null) {
            forward = forward(training, workspaceMgr);
        }
        if (training) {
            kept.keep(forward, input);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, forward.getSecond().output());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Pair<CapsulePredictions.Trace, DynamicRouting.Trace> forward = kept.take(input);
        if (forward == null) {
            forward = forward(true, workspaceMgr);                         // activate() was not called for this input
        }
        INDArray gradUHat = forward.getSecond().backward(epsilon);
        INDArray weightGrad = gradientViews.get(DigitCapsParamInitializer.WEIGHT_KEY);
        INDArray gradInput = forward.getFirst().backward(gradUHat, weightGrad);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.setGradientFor(DigitCapsParamInitializer.WEIGHT_KEY, weightGrad);
        return new Pair<>(gradient, backpropDropOutIfPresent(workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, gradInput, 'c')));
    }

    /** û (eq. 2), then routing (Procedure 1), each with what its backward pass needs. */
    private Pair<CapsulePredictions.Trace, DynamicRouting.Trace> forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        CapsulePredictions.Trace predictions = CapsulePredictions.forward(input.castTo(dataType),
                getParamWithNoise(DigitCapsParamInitializer.WEIGHT_KEY, training, workspaceMgr), capsules, capsuleDimension);
        return new Pair<>(predictions,
                DynamicRouting.forward(predictions.uHatByInput(), routingIterations, capsules, detachInnerIterations));
    }

    /**
     * A scope whose arrays survive until the backward pass of this step: the activations workspace when it is
     * open, otherwise no workspace (ordinary arrays).
     */
    private static MemoryWorkspace keptUntilBackward(LayerWorkspaceMgr workspaceMgr) {
        if (!workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS) && workspaceMgr.isWorkspaceOpen(ArrayType.ACTIVATIONS)) {
            return workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS);
        }
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }

    /** W lies in the flat vector in C order (as DL4J's convolution weights do), so flat copies are read in C order. */
    @Override
    public void setParams(INDArray params) {
        setParams(params, 'c');
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        kept.clear();
    }
}
