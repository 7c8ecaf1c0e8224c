package io.github.capsnet4j.layers.impl;

import io.github.capsnet4j.layers.DigitCaps;
import io.github.capsnet4j.ops.CapsulePredictions;
import io.github.capsnet4j.ops.DynamicRoutingPass;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of {@link DigitCaps} (paper eq. 2 and Procedure 1):
 *
 * <pre>
 *   forward:   û = u · W                      ({@link CapsulePredictions}, grouped by (example, output capsule))
 *              v = route(û)                   ({@link DynamicRoutingPass}, which keeps its iterations)
 *   backward:  ∂L/∂û = route'ᵀ ∂L/∂v,   ∂L/∂W, ∂L/∂u = CapsulePredictions.backward(u, W, ∂L/∂û)
 * </pre>
 *
 * In training the forward pass is computed in the activations workspace, which lives until the backward
 * pass of the step, and kept for it: û and the routing run once per step.
 */
public class DigitCapsLayer extends ForwardKeepingLayer<DigitCaps, DynamicRoutingPass> {

    public DigitCapsLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;                                             // [batch, capsules, dimension], as DL4J's CapsuleLayer
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        layerConf().validateInput(input);
        DynamicRoutingPass pass;
        try (MemoryWorkspace ignored = training ? keptUntilBackward(workspaceMgr) : null) {
            pass = route(training, workspaceMgr);
        }
        if (training) {
            keep(pass);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, pass.output());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        DigitCaps conf = layerConf();
        DynamicRoutingPass pass = takeKept();
        if (pass == null) {
            pass = route(true, workspaceMgr);                              // activate() was not called for this input
        }
        INDArray gradUHat = pass.backward(epsilon);
        INDArray weightGrad = gradientViews.get(DigitCaps.WEIGHT_KEY);
        INDArray gradInput = CapsulePredictions.backward(input, getParamWithNoise(DigitCaps.WEIGHT_KEY, true, workspaceMgr),
                gradUHat, conf.getCapsules(), weightGrad);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.setGradientFor(DigitCaps.WEIGHT_KEY, weightGrad);
        return new Pair<>(gradient, backpropDropOutIfPresent(workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, gradInput, 'c')));
    }

    private DynamicRoutingPass route(boolean training, LayerWorkspaceMgr workspaceMgr) {
        DigitCaps conf = layerConf();
        INDArray uHat = CapsulePredictions.uHatByOutput(input, getParamWithNoise(DigitCaps.WEIGHT_KEY, training, workspaceMgr),
                conf.getCapsules(), conf.getCapsuleDimension());
        return DynamicRoutingPass.forward(uHat, conf.getRoutingIterations(), conf.getCapsules(), conf.isDetachInnerIterations());
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
}
