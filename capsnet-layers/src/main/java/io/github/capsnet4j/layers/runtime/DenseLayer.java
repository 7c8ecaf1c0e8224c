package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.Dense;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of {@link Dense}: DL4J's dense layer with its product {@code z = x·W + b} by {@link DenseProduct}
 * ({@code Nd4j.gemm}); mask, activation, backward pass and layer normalization are DL4J's. DL4J's backward pass
 * computes {@code z} again, now by {@code Nd4j.gemm} too.
 */
public class DenseLayer extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer {

    public DenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** {@code (z, z)}, masked, without layer normalization, as DL4J returns it; with it, DL4J's own computation. */
    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (hasLayerNorm()) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = DenseProduct.preOutput(input, getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                hasBias() ? getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr) : null, layerId(), workspaceMgr);
        if (maskArray != null) {
            applyMask(z);
        }
        return new Pair<>(z, z);
    }
}
