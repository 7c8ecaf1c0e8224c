package io.github.capsnet4j.bench;

import org.nd4j.shade.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one worker process with {@code OMP_NUM_THREADS} set to the benchmark's thread count: the JSON
 * objects it prints on stdout go to a consumer, everything else it prints (stdout and stderr) is appended
 * to the log file.
 */
final class WorkerProcess {

    private WorkerProcess() {
    }

    /** Runs {@code command} to its end and returns its exit status. */
    static int run(List<String> command, int threads, Path log, Consumer<JsonNode> lines) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = out.readLine()) != null) {
                Optional<JsonNode> json = parse(line);
                if (json.isPresent()) {
                    lines.accept(json.get());
                } else {
                    logWriter.write(line);
                    logWriter.write('\n');
                    logWriter.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return process.waitFor();
    }

    /** A line that is a JSON object, or empty for a line of log. */
    static Optional<JsonNode> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode json = BenchWorker.JSON.readTree(line);
            return json.isObject() ? Optional.of(json) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
