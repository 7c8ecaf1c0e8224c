package io.github.capsnet4j.layers.impl;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Base of the capsule layers' computations: a training forward pass keeps what its backward pass needs
 * ({@link #keep}), and the backward pass takes it back ({@link #takeKept}); see {@link KeptForward}.
 *
 * @param <C> the layer's configuration
 * @param <F> what the forward pass keeps
 */
abstract class ForwardKeepingLayer<C extends org.deeplearning4j.nn.conf.layers.BaseLayer, F> extends BaseLayer<C> {

    private final KeptForward<F> kept = new KeptForward<>();

    ForwardKeepingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Keeps the forward results computed from the current input, for the backward pass. */
    protected void keep(F forward) {
        kept.keep(forward, input);
    }

    /** The kept forward results if they belong to the current input, else null (then recompute); forgets them. */
    protected F takeKept() {
        return kept.take(input);
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
