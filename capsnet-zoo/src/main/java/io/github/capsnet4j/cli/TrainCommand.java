package io.github.capsnet4j.cli;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.train.Trainer;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train}: trains the paper's CapsNet with Adam (lr 1e-3, decay 0.9 per epoch), checkpointing every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the MNIST CapsNet (Adam, lr 1e-3 x 0.9 per epoch, random shifts of up to 2 px);"
                + " a checkpoint after every epoch, --resume continues an interrupted run.")
public final class TrainCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(TrainCommand.class);

    @Mixin
    DataOptions data;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "runs/capsnet",
            description = "Run directory for checkpoints and the final model.zip (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--resume", description = "Continue the checkpoint in --output.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        IdxDataset train = data.load(Split.TRAIN);
        IdxDataset test = data.load(Split.TEST);
        CapsNetMnist model = CapsNetMnist.builder()
                .numClasses(train.numClasses())
                .inputShape(train.rows(), train.columns(), 1)
                .routingIterations(routingIterations)
                .decoder(!noDecoder)
                .seed(seed)
                .build();
        log.info("Training on {}: {} train / {} test images, batch {}, {} epochs, output {}", data.describe(), train.size(),
                test.size(), batchSize, epochs, output);
        Trainer.Result result = new Trainer(output, batchSize, seed, maxShift).train(model::init, train, test, epochs, resume);
        System.out.printf(Locale.ROOT, "Trained %d epochs in %.0f s; test accuracy %.4f; model: %s%n", result.state().epochsDone(),
                result.state().totalSeconds(), result.state().epochs.get(result.state().epochsDone() - 1).testAccuracy,
                output.resolve(Trainer.MODEL));
        return 0;
    }

}
