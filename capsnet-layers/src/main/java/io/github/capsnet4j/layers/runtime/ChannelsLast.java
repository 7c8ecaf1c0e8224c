package io.github.capsnet4j.layers.runtime;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationCube;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationMish;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationRationalTanh;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationRectifiedTanh;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Set;

/**
 * NCHW tensors held in channels-last memory: a tensor of shape {@code [batch, c, h, w]} that is a permuted view of a
 * C-ordered {@code [batch, h, w, c]} array, its memory. oneDNN's convolutions on AVX-512 work in channels-last memory
 * ({@code acdb}), and libnd4j hands an array's strides to oneDNN: a convolution that reads or writes such a tensor
 * needs no reorder (Conv1's output at batch 128 costs about 12 ms per reorder, and a C-ordered tensor takes one on
 * each side). ND4J's elementwise ops on a permuted view take a slow path (ReLU ≈ 30× slower), so elementwise work
 * runs on the memory itself, which is only correct for activations that act on each element alone: DL4J's own,
 * except softmax and PReLU (whose parameters follow the tensor's axes).
 */
final class ChannelsLast {

    private static final Set<Class<? extends IActivation>> ELEMENTWISE = Set.of(ActivationCube.class, ActivationELU.class,
            ActivationGELU.class, ActivationHardSigmoid.class, ActivationHardTanH.class, ActivationIdentity.class,
            ActivationLReLU.class, ActivationMish.class, ActivationRationalTanh.class, ActivationRectifiedTanh.class,
            ActivationReLU.class, ActivationReLU6.class, ActivationRReLU.class, ActivationSELU.class, ActivationSigmoid.class,
            ActivationSoftPlus.class, ActivationSoftSign.class, ActivationSwish.class, ActivationTanH.class,
            ActivationThresholdedReLU.class);

    private ChannelsLast() {
    }

    /** The NCHW tensor {@code [batch, c, h, w]} whose memory is {@code memory [batch, h, w, c]}. */
    static INDArray tensor(INDArray memory) {
        return memory.permute(0, 3, 1, 2);
    }

    /** The {@code [batch, h, w, c]} view of an NCHW tensor: C-ordered (contiguous) when the tensor is channels-last. */
    static INDArray memory(INDArray tensor) {
        return tensor.permute(0, 2, 3, 1);
    }

    /** Whether {@code memory} is a C-ordered contiguous array, e.g. {@link #memory} of a channels-last tensor. */
    static boolean contiguous(INDArray memory) {
        long expected = 1;
        for (int axis = memory.rank() - 1; axis >= 0; axis--) {
            if (memory.size(axis) != 1 && memory.stride(axis) != expected) {
                return false;
            }
            expected *= memory.size(axis);
        }
        return true;
    }

    /** Whether {@code activation} acts on each element alone, so that it may run on memory in any layout. */
    static boolean elementwise(IActivation activation) {
        return ELEMENTWISE.contains(activation.getClass());
    }
}
