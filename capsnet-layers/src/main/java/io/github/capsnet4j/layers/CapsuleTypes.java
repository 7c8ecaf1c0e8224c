package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;

/**
 * The convention for capsules between layers: {@code [batch, capsules, dimension]}, described by DL4J's
 * {@code InputType.recurrent(capsules, dimension)} (the convention of DL4J's own capsule layers).
 */
public final class CapsuleTypes {

    private CapsuleTypes() {
    }

    /** The InputType of capsules {@code [batch, capsules, dimension]}. */
    public static InputType capsulesType(long capsules, long dimension) {
        return InputType.recurrent(capsules, dimension);
    }

    /**
     * Checks that {@code type} describes capsules and returns it.
     *
     * @throws InvalidInputTypeException naming the layer, what it got and how to fix it
     */
    static InputType.InputTypeRecurrent requireCapsules(String layer, InputType type) {
        if (!(type instanceof InputType.InputTypeRecurrent) || ((InputType.InputTypeRecurrent) type).getTimeSeriesLength() <= 0) {
            throw new InvalidInputTypeException(layer + " expects capsules [batch, capsules, dimension] (InputType.recurrent(capsules, dimension)"
                    + " with a known dimension, as PrimaryCaps and DigitCaps output), but got " + type
                    + ". Put it after a PrimaryCaps or DigitCaps layer, or declare the input as InputType.recurrent(capsules, dimension).");
        }
        return (InputType.InputTypeRecurrent) type;
    }
}
