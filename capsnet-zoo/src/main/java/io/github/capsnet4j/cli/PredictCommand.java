package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.zoo.CapsNetPredictor;
import io.github.capsnet4j.zoo.DigitImages;
import io.github.capsnet4j.zoo.Prediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code predict}: classifies pictures of single digits and/or held-out examples, printing the predicted class
 * and the length of every digit capsule, i.e. the probability of each class (paper section 2).
 *
 * <p>Pictures are read, classified and printed one at a time, so any number of them needs the memory of one;
 * a picture that cannot be read or classified is reported on stderr and the others still are (exit code 2
 * at the end if any failed).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify digit pictures (PNG, JPG, GIF, BMP; any size and colour) and/or held-out examples (--index):"
                + " prints the predicted class and the capsule length (probability) of every class.")
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Parameters(paramLabel = "IMAGE", arity = "0..*",
            description = "Pictures of one digit each; scaled to 28x28 grey (crop them to the digit with a small margin first).")
    List<Path> pictures = new ArrayList<>();

    @Option(names = "--index", split = ",", paramLabel = "I",
            description = "Held-out examples to classify, e.g. --index 0,1,2: indices into the test split of --data-dir"
                    + " (default data: the 10,000 official MNIST test digits).")
    List<Integer> indices = new ArrayList<>();

    @Option(names = "--invert", defaultValue = "AUTO", paramLabel = "MODE",
            description = "Pictures become MNIST's white digit on black: ${COMPLETION-CANDIDATES}. AUTO (default) inverts"
                    + " pictures whose border is mostly bright (dark ink on light paper).")
    DigitImages.Inversion invert;

    @Option(names = "--max-megapixels", defaultValue = "40", paramLabel = "M",
            description = "Largest picture to decode, checked in its header before decoding (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    @Override
    public Integer call() {
        if (pictures.isEmpty() && indices.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Nothing to classify: give picture files and/or --index I of held-out examples.");
        }
        if (!(maxMegapixels > 0)) {
            throw new ParameterException(spec.commandLine(), "--max-megapixels must be more than 0, got " + maxMegapixels);
        }
        CapsNetPredictor predictor = model.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        for (Path picture : pictures) {
            try {
                BufferedImage image = Pictures.read(picture, Math.round(maxMegapixels * 1e6));
                print(out, picture.toString(), finite(predictor.predict(invert, image).get(0), picture.toString()));
            } catch (IOException | IllegalArgumentException e) {
                err.println("Error: " + e.getMessage());
                failures++;
            }
            out.flush();
        }
        if (!indices.isEmpty()) {
            IdxDataset test = HeldOutDigits.load(data, predictor, spec);
            int[] examples = new int[indices.size()];
            for (int i = 0; i < examples.length; i++) {
                examples[i] = indices.get(i);
                HeldOutDigits.checkIndex(test, examples[i], "--index", spec);
            }
            List<Prediction> predictions = predictor.predict(HeldOutDigits.images(test, examples));
            for (int i = 0; i < examples.length; i++) {
                String source = String.format(Locale.ROOT, "test #%d (label %s)", examples[i], test.labelNames().get(test.label(examples[i])));
                try {
                    print(out, source, finite(predictions.get(i), source));
                } catch (IllegalArgumentException e) {
                    err.println("Error: " + e.getMessage());
                    failures++;
                }
            }
        }
        out.flush();
        if (failures > 0) {
            err.printf(Locale.ROOT, "Error: %d of %d inputs could not be classified (see above).%n", failures,
                    pictures.size() + indices.size());
        }
        err.flush();
        return failures == 0 ? 0 : CliErrors.USER_ERROR;
    }

    /**
     * The prediction, if its capsule lengths are numbers.
     *
     * @throws IllegalArgumentException naming {@code source} otherwise
     */
    private static Prediction finite(Prediction prediction, String source) {
        if (!Double.isFinite(prediction.probabilities().sumNumber().doubleValue())) {
            throw new IllegalArgumentException(source + ": the network's capsule lengths are not numbers (" + prediction.probabilities()
                    + "), so there is no prediction. Fix: use a model whose training did not diverge, e.g. an earlier checkpoint.");
        }
        return prediction;
    }

    /** One line: source, predicted class and its length, then the length of every class. */
    private static void print(PrintWriter out, String source, Prediction prediction) {
        StringBuilder lengths = new StringBuilder();
        for (int c = 0; c < prediction.probabilities().length(); c++) {
            lengths.append(String.format(Locale.ROOT, " %d:%.3f", c, prediction.probabilities().getDouble(c)));
        }
        out.printf(Locale.ROOT, "%s: class %d (%.3f)  lengths%s%n", source, prediction.predictedClass(), prediction.probability(), lengths);
    }
}
