package io.github.capsnet4j.cli;

import io.github.capsnet4j.zoo.CapsNetPredictor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;

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
        try {
            return modelFile == null ? CapsNetPredictor.pretrained() : CapsNetPredictor.load(modelFile);
        } catch (IOException | IllegalArgumentException e) {
            String fix = modelFile == null ? " Alternatively pass --model FILE with a trained model, e.g. runs/capsnet/model.zip." : "";
            throw new ParameterException(command.commandLine(), e.getMessage() + fix, e);
        }
    }

    /** A short description for logs and reports. */
    public String describe() {
        return modelFile == null ? "the pretrained MNIST CapsNet" : modelFile.toString();
    }
}
