package io.github.capsnet4j.cli;

import io.github.capsnet4j.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;

/**
 * How the command line reports errors. A user error (a bad option, missing or broken files, data or settings
 * that do not fit, a folder in use) is ONE message on stderr saying what is wrong, why and the fix, with exit
 * code {@value #USER_ERROR}: no stack trace and no usage text (the message points to {@code --help}). Anything
 * else is a bug: its message, the stack trace and exit code {@value #INTERNAL_ERROR}. {@value #VERBOSE} adds the
 * stack trace to user errors too.
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    static final int USER_ERROR = 2;
    static final int INTERNAL_ERROR = 1;
    /** Exit code of a run stopped by SIGTERM, as the shell reports a process ended by that signal (128 + 15). */
    static final int STOPPED = 143;
    static final String VERBOSE = "--verbose";

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("Error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
        traceIfVerbose(e, err, Arrays.asList(args));
        err.flush();
        return USER_ERROR;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        List<String> args = parseResult.originalArgs();
        if (e instanceof TrainingStoppedException) {
            return STOPPED;                                       // the trainer has said where it stopped
        }
        String message = userMessage(e);
        if (message == null) {
            err.println("Error: " + e + ". This is a bug in capsnet4j; please report it with the stack trace:");
            e.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        }
        err.println("Error: " + message);
        traceIfVerbose(e, err, args);
        err.flush();
        return USER_ERROR;
    }

    /** The message of a user error, or {@code null} for a bug. */
    static String userMessage(Throwable e) {
        if (e instanceof UncheckedIOException) {
            return userMessage(e.getCause());
        }
        if (e instanceof FileSystemException) {
            return fileMessage((FileSystemException) e);
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return null;
    }

    /** Java's file exceptions carry only the path (and sometimes a reason): say what failed, and the fix. */
    private static String fileMessage(FileSystemException e) {
        String reason = e.getReason() != null ? e.getReason()
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
        return "Cannot use " + e.getFile() + (e.getOtherFile() == null ? "" : " with " + e.getOtherFile()) + ": " + reason
                + ". Fix: check the path, its permissions and the free space of its disk.";
    }

    private static void traceIfVerbose(Exception e, PrintWriter err, List<String> args) {
        if (args.contains(VERBOSE)) {
            e.printStackTrace(err);
        }
    }
}
