package io.github.capsnet4j.layers.runtime;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The product of a fully connected layer, {@code z = x·W + b}, into a new C-ordered array in the activations
 * workspace, by {@code Nd4j.gemm} (libnd4j's {@code matmul} op: oneDNN's f32 matmul in the {@code -onednn}
 * binaries, a BLAS product otherwise). DL4J's layers compute it as {@code x.mmuli(W, z)}, which for a C-ordered
 * {@code z} and DL4J's F-ordered {@code W} runs ND4J's elementwise matrix-product kernel in M2.1. Used by
 * {@link DenseLayer} and {@link OutputLayer}.
 */
final class DenseProduct {

    private DenseProduct() {
    }

    /**
     * DL4J's {@code preOutputWithPreNorm} of a layer without layer normalization, before its mask: {@code z}.
     *
     * @param input   the input {@code [batch, nIn]} (cast to W's data type)
     * @param weights {@code W [nIn, nOut]}
     * @param bias    {@code b [1, nOut]}, or null without bias
     * @param layer   the layer's description for the error message (DL4J's {@code layerId()})
     * @return {@code z [batch, nOut]}
     */
    static INDArray preOutput(INDArray input, INDArray weights, INDArray bias, String layer, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(weights.dataType());
        if (x.rank() != 2 || x.size(1) != weights.size(0)) {
            throw new DL4JInvalidInputException("Input " + Arrays.toString(x.shape()) + " does not fit a fully connected layer with "
                    + weights.size(0) + " inputs: expected [batch, " + weights.size(0) + "]. Check the layer before it, its nOut"
                    + " and the input type (a preprocessor is missing if the input is not a matrix). " + layer);
        }
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, weights.dataType(), new long[]{x.size(0), weights.size(1)}, 'c');
        Nd4j.gemm(x, weights, z, false, false, 1.0, 0.0);
        return bias == null ? z : z.addiRowVector(bias);
    }
}
