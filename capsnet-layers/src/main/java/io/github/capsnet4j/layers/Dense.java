package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

/**
 * DL4J's {@link DenseLayer}, configured and stored exactly like it (same builder settings, same parameters {@code W
 * [nIn, nOut]} and {@code b [nOut]}), computed with its product {@code z = x·W + b} by {@code Nd4j.gemm}, a tuned
 * product:
 *
 * <pre>
 *   a = activation(x·W + b)
 * </pre>
 *
 * DL4J 1.0.0-M2.1's own layer writes {@code x·W} into a C-ordered array with {@code INDArray.mmuli}, which there runs
 * ND4J's elementwise matrix-product kernel instead of a tuned one (a few milliseconds instead of a few tenths for the
 * decoder's layers at batch 32), and computes it twice per training step (its backward pass repeats the forward
 * product). The paper's reconstruction network (section 4.1: 512 and 1024 ReLU units) is two of these in
 * {@code CapsNetMnist}, followed by an {@link Output}. With layer normalization ({@code hasLayerNorm(true)}) the
 * layer computes as DL4J's does.
 */
public class Dense extends DenseLayer {

    /** For JSON deserialisation; use {@link #builder()}. */
    public Dense() {
    }

    /** A builder; every setting of DL4J's {@code DenseLayer.Builder} applies. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Dense", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new io.github.capsnet4j.layers.runtime.DenseLayer(conf, networkDataType), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Dense && super.equals(other);
    }

    /** DL4J's {@code equals} asks this: a plain {@code DenseLayer} never equals a {@code Dense}, either way round. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Dense;
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Builder; every setting of DL4J's {@code DenseLayer.Builder} applies. */
    public static class Builder extends DenseLayer.Builder {

        /**
         * The layer DL4J's builder configures, as a {@code Dense}: DL4J's {@code DenseLayer} takes its builder in a
         * private constructor, so its fields (its own and those of its superclasses) are copied one by one.
         */
        @Override
        @SuppressWarnings("unchecked")
        public Dense build() {
            DenseLayer configured = super.build();
            Dense dense = new Dense();
            for (Class<?> type = DenseLayer.class; type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        try {
                            field.set(dense, field.get(configured));
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException("cannot copy DenseLayer." + field.getName() + " into a Dense", e);
                        }
                    }
                }
            }
            return dense;
        }
    }
}
