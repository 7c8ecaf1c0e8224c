package io.github.capsnet4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of capsnet4j: {@code java -jar capsnet-zoo/target/capsnet-zoo.jar <command> [options]}.
 * Each sub-command is a class of this package; {@code --help} on any of them lists its options.
 */
@Command(name = "capsnet4j", mixinStandardHelpOptions = true, version = "capsnet4j 0.1.0",
        description = "Capsule Networks with dynamic routing (Sabour, Frosst & Hinton 2017) on Deeplearning4j.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ReconstructCommand.class, BenchCommand.class})
public final class CapsNetCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CapsNetCli()).execute(args));
    }
}
