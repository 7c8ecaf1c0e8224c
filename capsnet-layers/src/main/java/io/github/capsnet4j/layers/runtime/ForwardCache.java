package io.github.capsnet4j.layers.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a layer's training forward pass keeps for its backward pass, with the input array it was computed
 * from: the backward pass takes it back only for that same input (otherwise it recomputes), so the forward
 * pass runs once per training step. The kept arrays must live until the backward pass (the activations
 * workspace, or no workspace). Every layer of this package that keeps forward results holds one of these.
 *
 * @param <F> what the forward pass keeps
 */
final class ForwardCache<F> {

    private F kept;
    private INDArray keptInput;

    /** Keeps the forward results computed from {@code input}. */
    void keep(F forward, INDArray input) {
        kept = forward;
        keptInput = input;
    }

    /** The kept forward results if they belong to {@code input}, else null (then recompute); forgets them. */
    F take(INDArray input) {
        F forward = keptInput == input ? kept : null;
        clear();
        return forward;
    }

    void clear() {
        kept = null;
        keptInput = null;
    }
}
