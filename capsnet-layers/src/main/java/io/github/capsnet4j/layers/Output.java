package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Collection;

/**
 * DL4J's {@link OutputLayer}, configured and stored exactly like it (same builder settings, loss and parameters
 * {@code W [nIn, nOut]}, {@code b [nOut]}), computed with its product {@code z = x·W + b} by {@code Nd4j.gemm}, as in
 * {@link Dense}:
 *
 * <pre>
 *   output = activation(x·W + b),   score = loss(labels, output)
 * </pre>
 *
 * DL4J 1.0.0-M2.1 computes an output layer's product twice per training step (score and backward pass; once more for an
 * output), each with {@code INDArray.mmuli} into a C-ordered array, which runs ND4J's elementwise matrix-product kernel
 * instead of a tuned one. The paper's reconstruction (784 sigmoid units, the sum of squared differences) is one of
 * these in {@code CapsNetMnist}.
 */
public class Output extends OutputLayer {

    /** For JSON deserialisation; use {@link #builder(ILossFunction)}. */
    public Output() {
    }

    protected Output(Builder builder) {
        super(builder);
    }

    /** A builder for an output layer with the given loss; every setting of DL4J's {@code OutputLayer.Builder} applies. */
    public static Builder builder(ILossFunction loss) {
        return new Builder(loss);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Output", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new io.github.capsnet4j.layers.runtime.OutputLayer(conf, networkDataType), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Output && super.equals(other);
    }

    /** DL4J's {@code equals} asks this: a plain {@code OutputLayer} never equals an {@code Output}, either way round. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Output;
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Builder; every setting of DL4J's {@code OutputLayer.Builder} applies (its default activation is softmax). */
    public static class Builder extends OutputLayer.Builder {

        public Builder(ILossFunction loss) {
            super(loss);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Output build() {
            return new Output(this);
        }
    }
}
