package io.github.capsnet4j.cli;

import io.github.capsnet4j.zoo.CapsNetPredictor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Which network to use: the pretrained MNIST CapsNet shipped in the jar (default) or a saved one. */
public final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A saved CapsNet (ModelSerializer zip), e.g. runs/capsnet/model.zip or checkpoint.zip of 'train'."
                    + " Default: the pretrained MNIST CapsNet shipped in the jar.")
    Path modelFile;

    /**
     * The network, ready for inference.
     *
     * @throws ParameterException if it is missing, unreadable or not a CapsNet: picocli prints the message and exits nonzero
     */
    public CapsNetPredictor load() {
        CapsNetPredictor predictor;
        try {
            predictor = modelFile == null ? CapsNetPredictor.pretrained() : CapsNetPredictor.load(modelFile);
        } catch (IOException | IllegalArgumentException e) {
            String fix = modelFile == null ? " Alternatively pass --model FILE with a trained model, e.g. runs/capsnet/model.zip." : "";
            throw new ParameterException(command.commandLine(), e.getMessage() + fix, e);
        }
        INDArray weights = predictor.graph().params();
        long broken = weights.scan(Conditions.isNan()).longValue() + weights.scan(Conditions.isInfinite()).longValue();
        if (broken > 0) {
            throw new ParameterException(command.commandLine(), String.format(Locale.ROOT, "The network %s has %d NaN or infinite"
                    + " weights (of %d), so its outputs would be NaN: the file is damaged or its training diverged. Fix: use"
                    + " another model, e.g. an earlier checkpoint of the run.", describe(), broken, weights.length()));
        }
        return predictor;
    }

    /** A short description for logs and reports. */
    public String describe() {
        return modelFile == null ? "the pretrained MNIST CapsNet" : modelFile.toString();
    }
}
