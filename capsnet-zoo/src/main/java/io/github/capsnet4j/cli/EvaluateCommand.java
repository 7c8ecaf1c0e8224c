package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.train.ProgressBar;
import io.github.capsnet4j.zoo.CapsNetEvaluator;
import io.github.capsnet4j.zoo.CapsNetPredictor;
import org.nd4j.evaluation.classification.Evaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code evaluate}: test accuracy of a CapsNet, the predicted class being the longest digit capsule (paper
 * section 2), with DL4J's per-class statistics and confusion matrix and the wall time.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, per-class statistics and confusion matrix of a CapsNet on held-out digits"
                + " (default: the pretrained network on the 10,000 official MNIST test digits).")
public final class EvaluateCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(EvaluateCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        CapsNetPredictor predictor = model.load();
        IdxDataset test = HeldOutDigits.load(data, predictor, spec);
        log.info("Evaluating {} on {} test images of {}, batch {}", model.describe(), test.size(), data.describe(), batchSize);
        ProgressBar progress = new ProgressBar("evaluate", (test.size() + batchSize - 1) / batchSize);
        Evaluation evaluation = CapsNetEvaluator.evaluate(predictor.graph(), test, batchSize,
                (soFar, batches) -> progress.update(batches, String.format(Locale.ROOT, "accuracy %.4f", soFar.accuracy())));
        double seconds = progress.elapsedSeconds();
        PrintWriter out = spec.commandLine().getOut();
        out.println(evaluation.stats());
        out.printf(Locale.ROOT, "Accuracy %.4f (%d of %d correct, test error %.2f%%) of %s on %s in %.1f s (%.0f images/s)%n",
                evaluation.accuracy(), Math.round(evaluation.accuracy() * test.size()), test.size(), 100 * (1 - evaluation.accuracy()),
                model.describe(), data.describe(), seconds, test.size() / seconds);
        out.flush();
        return 0;
    }
}
