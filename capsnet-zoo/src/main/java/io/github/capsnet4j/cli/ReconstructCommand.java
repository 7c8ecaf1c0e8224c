package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.render.Figures;
import io.github.capsnet4j.render.ImageGrid;
import io.github.capsnet4j.zoo.CapsNetPredictor;
import io.github.capsnet4j.zoo.Prediction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code reconstruct}: pictures of what the digit capsules encode: held-out digits beside the decoder's
 * reconstructions from their predicted capsule (paper Figure 3), and one digit's capsule decoded with each
 * dimension perturbed by −0.25 … +0.25 (Figure 4).
 */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Write reconstructions.png (held-out digits above their reconstructions, paper Figure 3) and"
                + " perturbations.png (one digit's 16 capsule dimensions perturbed by -0.25..+0.25, Figure 4).")
public final class ReconstructCommand implements Callable<Integer> {

    static final String RECONSTRUCTIONS = "reconstructions.png";
    static final String PERTURBATIONS = "perturbations.png";

    private static final Logger log = LoggerFactory.getLogger(ReconstructCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "runs/reconstruct",
            description = "Directory for the pictures (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--count", defaultValue = "10", paramLabel = "N", description = "Held-out digits to reconstruct, the first ones (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--digit-index", defaultValue = "0", paramLabel = "I",
            description = "The held-out digit whose capsule is perturbed (default: ${DEFAULT-VALUE}).")
    int digitIndex;

    @Override
    public Integer call() throws IOException {
        CapsNetPredictor predictor = model.load();
        if (!predictor.hasDecoder()) {
            throw new ParameterException(spec.commandLine(), "The network " + model.describe() + " has no decoder, so it cannot"
                    + " reconstruct. Fix: use a model trained with the decoder (train without --no-decoder).");
        }
        IdxDataset test = HeldOutDigits.load(data, predictor, spec);
        if (count < 1 || count > test.size()) {
            throw new ParameterException(spec.commandLine(), "--count must be 1.." + test.size() + ", got " + count);
        }
        HeldOutDigits.checkIndex(test, digitIndex, "--digit-index", spec);
        PrintWriter out = spec.commandLine().getOut();

        int[] first = new int[count];
        for (int i = 0; i < count; i++) {
            first[i] = i;
        }
        INDArray inputs = HeldOutDigits.images(test, first);
        List<Prediction> predictions = predictor.predict(inputs);
        INDArray[] reconstructions = new INDArray[count];
        int correct = 0;
        for (int i = 0; i < count; i++) {
            reconstructions[i] = predictions.get(i).reconstruction().orElseThrow();
            correct += predictions.get(i).predictedClass() == test.label(i) ? 1 : 0;
        }
        Path reconstructionFile = output.resolve(RECONSTRUCTIONS);
        ImageGrid.writePng(Figures.reconstructionGrid(inputs, Nd4j.stack(0, reconstructions)), reconstructionFile);
        out.printf(Locale.ROOT, "%s: the first %d held-out digits above their reconstructions (%d classified correctly)%n",
                reconstructionFile, count, correct);

        Prediction digit = predictor.predict(HeldOutDigits.images(test, digitIndex)).get(0);
        Path perturbationFile = output.resolve(PERTURBATIONS);
        ImageGrid.writePng(Figures.perturbationGrid(predictor, digit.capsule(), digit.predictedClass()), perturbationFile);
        out.printf(Locale.ROOT, "%s: held-out digit #%d (label %d, predicted %d), one row per capsule dimension,"
                        + " perturbations %+.2f .. %+.2f%n", perturbationFile, digitIndex, test.label(digitIndex),
                digit.predictedClass(), Figures.PERTURBATIONS[0], Figures.PERTURBATIONS[Figures.PERTURBATIONS.length - 1]);
        out.flush();
        log.info("Wrote {} and {}", reconstructionFile, perturbationFile);
        return 0;
    }
}
