package io.github.capsnet4j.train;

import io.github.capsnet4j.train.TrainingState.Epoch;
import io.github.capsnet4j.train.TrainingState.Progress;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Map;

/**
 * The one-off migration of a run folder written by capsnet4j 0.1, whose trainer kept the network and updater in
 * {@code checkpoint.zip} and the state in a separate {@code training-state.json} (seed, batch size, and per epoch
 * {@code epoch}, {@code meanLoss}, {@code testAccuracy}, {@code seconds}). Resuming such a folder (same batch size
 * and seed) turns it into a current one: the old file is kept as {@value #KEPT_AS}, and the settings that 0.1 did
 * not record (max shift, data, architecture) are taken from the resuming run, as a note in the state says. 0.1's
 * accuracies were measured on whatever test split that run was given; they go into the note, not into the
 * epochs' validation or test accuracy.
 *
 * <p>0.1 wrote its checkpoint first and its state second, so a kill between the two left a checkpoint one epoch
 * ahead of the state; that epoch is taken as trained and evaluated when the run resumes (its mean loss and time
 * are lost). Any other disagreement is refused.
 */
final class LegacyRun {

    static final String KEPT_AS = "training-state-0.1.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyRun() {
    }

    /**
     * The state of the 0.1 run whose checkpoint holds {@code networkEpochs} epochs, in the current format.
     *
     * @param settings      the resuming run's settings; batch size and seed must equal the old state's
     * @param stepsPerEpoch training steps per epoch with the resuming run's data and batch size
     * @throws TrainingException if the old state is missing, unreadable, or disagrees with the settings or the checkpoint
     */
    static TrainingState migrate(Path stateFile, int networkEpochs, Map<String, String> settings, long stepsPerEpoch)
            throws IOException {
        JsonNode old = read(stateFile);
        checkSame(stateFile, "batch size", old.path("batchSize"), settings);
        checkSame(stateFile, "seed", old.path("seed"), settings);
        TrainingState state = new TrainingState();
        state.settings.putAll(settings);
        StringBuilder accuracies = new StringBuilder();
        for (JsonNode epoch : old.path("epochs")) {
            state.epochs.add(new Epoch(epoch.path("epoch").asInt(), epoch.path("meanLoss").asDouble(Double.NaN), Double.NaN,
                    Double.NaN, epoch.path("seconds").asDouble(Double.NaN)));
            accuracies.append(accuracies.length() == 0 ? "" : ", ").append(epoch.path("epoch").asInt()).append(": ")
                    .append(epoch.path("testAccuracy").asText());
        }
        int recorded = state.epochs.size();
        if (networkEpochs == recorded + 1) {
            state.progress = new Progress(stepsPerEpoch, stepsPerEpoch, Double.NaN, Double.NaN);   // evaluated on resuming
        } else if (networkEpochs != recorded) {
            throw new TrainingException("The 0.1 run in " + stateFile.getParent() + " cannot be migrated: its checkpoint holds "
                    + networkEpochs + " epochs but " + stateFile.getFileName() + " records " + recorded,
                    "start a new run in another --output folder, or evaluate the checkpoint with 'evaluate --model'");
        }
        state.notes.add(String.format("Migrated on %s from capsnet4j 0.1's checkpoint.zip + training-state.json (kept as %s)"
                        + " after %d epochs%s. 0.1 recorded only seed and batch size; max shift, data and architecture were"
                        + " taken from the resuming run. 0.1 measured its epochs on the test split it was given, which need not"
                        + " be this run's validation or test split, so their accuracies are NaN here; 0.1's per epoch: %s.",
                LocalDate.now(), KEPT_AS, networkEpochs, state.progress == null ? ""
                        : " (the last one's record was lost between 0.1's two writes; it is evaluated on resuming)",
                accuracies.length() == 0 ? "none" : accuracies));
        return state;
    }

    /**
     * Keeps a copy of the old state file under another name, before the migrated checkpoint is written and the
     * old file is replaced by the readable copy of the new state.
     */
    static void keepOldState(Path stateFile) throws IOException {
        Files.copy(stateFile, stateFile.resolveSibling(KEPT_AS), StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode read(Path stateFile) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            throw new TrainingException("The checkpoint in " + stateFile.getParent() + " holds no training state, and there is"
                    + " no " + stateFile.getFileName() + " beside it, so where the run stands is unknown",
                    "start a new run in another --output folder (evaluate the checkpoint with 'evaluate --model')");
        }
        try {
            JsonNode old = JSON.readTree(Files.readAllBytes(stateFile));
            if (old == null || !old.path("batchSize").isInt() || !old.path("seed").isIntegralNumber() || !old.path("epochs").isArray()) {
                throw new IOException("batchSize, seed or epochs missing");
            }
            return old;
        } catch (IOException e) {
            throw new TrainingException("The state file " + stateFile + " of the 0.1 run cannot be read ("
                    + e.getMessage().lines().findFirst().orElse("") + ")",
                    "restore it from a copy, or start a new run in another --output folder", e);
        }
    }

    private static void checkSame(Path stateFile, String name, JsonNode old, Map<String, String> settings) throws TrainingException {
        String given = settings.get(name);
        if (!old.asText().equals(given)) {
            throw new TrainingException("The 0.1 run in " + stateFile.getParent() + " was trained with " + name + " "
                    + old.asText() + ", but this resume asks for " + given,
                    "resume with " + name + " " + old.asText());
        }
    }
}
