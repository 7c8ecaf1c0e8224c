package io.github.capsnet4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The command line of capsnet4j: {@code java -jar capsnet-zoo/target/capsnet-zoo.jar <command> [options]}.
 * Each sub-command is a class of this package; {@code --help} on any of them lists its options. Errors are
 * reported as {@link CliErrors} describes: one message and exit code 2 for a user error.
 */
@Command(name = "capsnet4j", mixinStandardHelpOptions = true, version = "capsnet4j 0.1.0",
        description = "Capsule Networks with dynamic routing (Sabour, Frosst & Hinton 2017) on Deeplearning4j.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:a bug in capsnet4j (the stack trace is printed)",
                "2:a user error: bad option, missing or broken file, data or settings that do not fit, run folder in use",
                "143:training stopped by SIGTERM or Ctrl-C after saving a checkpoint ('train --resume' continues it)"},
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ReconstructCommand.class, BenchCommand.class})
public final class CapsNetCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = CliErrors.VERBOSE, scope = ScopeType.INHERIT, description = "On an error, print the stack trace too.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with capsnet4j's error reporting; {@code commandLine().execute(args)} runs a command. */
    public static CommandLine commandLine() {
        CliErrors errors = new CliErrors();
        return new CommandLine(new CapsNetCli())
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("Error: Java ran out of memory (" + e.getMessage() + "). Fix: give it more with -Xmx (e.g."
                    + " java -Xmx8g -jar ...), or lower --batch-size.");
            exitCode = CliErrors.USER_ERROR;
        }
        System.exit(exitCode);
    }
}
