package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.CapsuleLength;
import io.github.capsnet4j.ops.Precision;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The computation of {@link CapsuleLength}, a layer without parameters (as DL4J's {@code ActivationLayer}):
 *
 * <pre>
 *   forward:   |v|_k = sqrt(Σ_d v_kd² + ε)                  [batch, capsules, dimension] → [batch, capsules]
 *   backward:  ∂L/∂v_kd = ∂L/∂|v|_k · v_kd / |v|_k           (finite at v = 0: |v| ≥ sqrt(ε), and v = 0 there)
 * </pre>
 *
 * In training the forward pass keeps the lengths for the backward pass. The input is cast to the network's data
 * type.
 */
public class CapsuleLengthLayer extends AbstractLayer<CapsuleLength> {

    private final ForwardCache<INDArray> keptLengths = new ForwardCache<>();   // |v| of the last training forward pass

    public CapsuleLengthLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        Precision.requireSupported(dataType, "CapsuleLength '" + conf.getLayer().getLayerName() + "'");
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (input.rank() != 3) {
            throw new IllegalArgumentException("CapsuleLength expects capsules [batch, capsules, dimension] but got "
                    + Arrays.toString(input.shape()) + ". Put it after a DigitCaps (or PrimaryCaps) layer.");
        }
        INDArray lengths = lengths(workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[]{input.size(0), input.size(1)}, 'c'));
        if (training) {
            keptLengths.keep(lengths, input);
        }
        return lengths;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray lengths = keptLengths.take(input);
        if (lengths == null) {
            lengths = lengths(workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                    new long[]{input.size(0), input.size(1)}, 'c'));        // activate() was not called for this input
        }
        INDArray v = input.castTo(dataType);
        INDArray perLength = epsilon.div(lengths).reshape(v.size(0), v.size(1), 1);   // ∂L/∂|v| / |v|
        INDArray gradV = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, v.shape(), 'c');
        v.mul(perLength, gradV);                                           // broadcast over the capsule dimension
        return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(gradV));
    }

    /** Writes {@code sqrt(Σ_d v² + ε)} of the input into {@code lengths [batch, capsules]}. */
    private INDArray lengths(INDArray lengths) {
        INDArray v = input.castTo(dataType);
        return Nd4j.exec(new Sqrt(v.mul(v).sum(2).addi(CapsuleLength.EPSILON), lengths));
    }

    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public void clear() {
        super.clear();
        keptLengths.clear();
    }
}
