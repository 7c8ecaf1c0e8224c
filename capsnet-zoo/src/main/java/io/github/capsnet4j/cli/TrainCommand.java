package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.train.Trainer;
import io.github.capsnet4j.train.TrainingState;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code train}: trains the paper's CapsNet with Adam (lr 1e-3, decay 0.9 per epoch), evaluating it on the
 * validation and the test split after every epoch; see {@link Trainer} for checkpoints, resuming and checks.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the MNIST CapsNet (Adam, lr 1e-3 x 0.9 per epoch, random shifts of up to 2 px), evaluating it on"
                + " the validation and the test split after every epoch. Checkpoints every few minutes and after every"
                + " epoch, and on Ctrl-C or kill; --resume continues an interrupted run at the step where it stopped,"
                + " with the same settings.")
public final class TrainCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "runs/capsnet",
            description = "Run folder for checkpoint.zip, training-state.json and the final model.zip (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--epochs", defaultValue = "10", description = "Total epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1234", description = "Seed of weights, data order and shifts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-shift", defaultValue = "2", description = "Random shift in pixels during training (default: ${DEFAULT-VALUE}).")
    int maxShift;

    @Option(names = "--routing-iterations", defaultValue = "3", description = "Dynamic routing iterations (default: ${DEFAULT-VALUE}).")
    int routingIterations;

    @Option(names = "--no-decoder", description = "Train without the reconstruction decoder.")
    boolean noDecoder;

    @Option(names = "--resume", description = "Continue the run in --output, with the same settings (also a run folder of"
            + " capsnet4j 0.1, which is converted once).")
    boolean resume;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", paramLabel = "M",
            description = "Also checkpoint within an epoch, every M minutes (0: after every step; default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--keep-epochs", description = "Keep every epoch's checkpoint as epochs/epoch-NNN.zip in --output"
            + " (hard links: no extra space until the next checkpoint replaces checkpoint.zip).")
    boolean keepEpochs;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        IdxDataset train = data.load(Split.TRAIN);
        IdxDataset validation = data.load(Split.VALIDATION);
        IdxDataset test = data.load(Split.TEST);
        CapsNetMnist model = CapsNetMnist.builder()
                .numClasses(train.numClasses())
                .inputShape(train.rows(), train.columns(), 1)
                .routingIterations(routingIterations)
                .decoder(!noDecoder)
                .seed(seed)
                .build();
        log.info("Training on {}: {} train / {} validation / {} test images, batch {}, {} epochs, output {}", data.describe(),
                train.size(), validation.size(), test.size(), batchSize, epochs, output);
        Trainer trainer = new Trainer(output, batchSize, seed, maxShift)
                .checkpointEvery(Duration.ofMillis(Math.round(checkpointMinutes * 60_000)));
        Trainer.Result result = (keepEpochs ? trainer.keepEpochCheckpoints() : trainer)
                .train(model::init, train, validation, test, epochs, resume);
        TrainingState state = result.state();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Trained %d epochs in %.0f s; after the last: validation accuracy %.4f, test accuracy"
                        + " %.4f; model: %s%n", state.epochsDone(), state.totalSeconds(), state.lastEpoch().validationAccuracy,
                state.lastEpoch().testAccuracy, output.resolve(Trainer.MODEL));
        out.flush();
        return 0;
    }

    private void checkOptions() {
        atLeast("--epochs", epochs, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--routing-iterations", routingIterations, 1);
        atLeast("--max-shift", maxShift, 0);
        if (!(checkpointMinutes >= 0) || Double.isInfinite(checkpointMinutes)) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-minutes must be a number of minutes, 0 or more, got "
                    + checkpointMinutes);
        }
    }

    private void atLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", got " + value);
        }
    }
}
