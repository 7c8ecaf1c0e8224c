package io.github.capsnet4j.layers.runtime;

import io.github.capsnet4j.layers.Output;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of {@link Output}: DL4J's output layer with its product {@code z = x·W + b} by {@link DenseProduct}
 * ({@code Nd4j.gemm}); mask, activation, score, loss gradient and backward pass are DL4J's (which compute {@code z} for
 * the score and again for the backward pass, now by {@code Nd4j.gemm}).
 */
public class OutputLayer extends org.deeplearning4j.nn.layers.OutputLayer {

    public OutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** {@code (z, z)}, masked, as DL4J returns it for a layer without layer normalization (an output layer has none). */
    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = DenseProduct.preOutput(input, getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                hasBias() ? getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr) : null, layerId(), workspaceMgr);
        if (maskArray != null) {
            applyMask(z);                                                    // the layer's own: an output layer's takes label masks
        }
        return new Pair<>(z, z);
    }
}
