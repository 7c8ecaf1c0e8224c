package io.github.capsnet4j.train;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a training run has done so far, saved as JSON inside its checkpoint (see {@link Checkpoint}): the
 * settings a resumed run must keep, one record per finished epoch, and how far the epoch in progress has got,
 * so that a resumed run continues at the exact step.
 */
public final class TrainingState {

    /** Version of this JSON layout; the layout of capsnet4j 0.1's separate {@code training-state.json} had none. */
    public static final int FORMAT = 2;

    /** One finished and evaluated epoch. */
    public static final class Epoch {
        /** 1 for the first epoch. */
        @JsonProperty public int epoch;
        @JsonProperty public double meanLoss;
        /** Accuracy on the validation split after this epoch; NaN without one. */
        @JsonProperty public double validationAccuracy = Double.NaN;
        /** Accuracy on the test split after this epoch; NaN without one. */
        @JsonProperty public double testAccuracy = Double.NaN;
        /** Training time of the epoch, without evaluation, summed over interruptions. */
        @JsonProperty public double seconds;

        public Epoch() {
        }

        Epoch(int epoch, double meanLoss, double validationAccuracy, double testAccuracy, double seconds) {
            this.epoch = epoch;
            this.meanLoss = meanLoss;
            this.validationAccuracy = validationAccuracy;
            this.testAccuracy = testAccuracy;
            this.seconds = seconds;
        }
    }

    /** How far the epoch after the finished ones has got. */
    public static final class Progress {
        /** Training steps (batches) done in this epoch; {@code steps == stepsPerEpoch}: trained, not yet evaluated. */
        @JsonProperty public long steps;
        @JsonProperty public long stepsPerEpoch;
        /** Sum of the steps' losses, for the epoch's mean loss. */
        @JsonProperty public double lossSum;
        @JsonProperty public double seconds;

        public Progress() {
        }

        Progress(long steps, long stepsPerEpoch, double lossSum, double seconds) {
            this.steps = steps;
            this.stepsPerEpoch = stepsPerEpoch;
            this.lossSum = lossSum;
            this.seconds = seconds;
        }

        /** Whether all the epoch's steps are done, only its evaluation is missing. */
        public boolean trained() {
            return steps == stepsPerEpoch;
        }
    }

    @JsonProperty public int format = FORMAT;
    /** What a resumed run must not change, by name: batch size, seed, max shift, data fingerprints, architecture. */
    @JsonProperty public Map<String, String> settings = new LinkedHashMap<>();
    @JsonProperty public List<Epoch> epochs = new ArrayList<>();
    /** The epoch in progress; {@code null} between epochs. */
    @JsonProperty public Progress progress;
    /** Remarks on the run's history, such as a migration from an older format. */
    @JsonProperty public List<String> notes = new ArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public int epochsDone() {
        return epochs.size();
    }

    /** Epochs whose training steps are all done: the finished ones plus one whose evaluation is pending. */
    int epochsTrained() {
        return epochs.size() + (progress != null && progress.trained() ? 1 : 0);
    }

    public double totalSeconds() {
        return epochs.stream().mapToDouble(e -> e.seconds).sum();
    }

    /** The last finished epoch. */
    public Epoch lastEpoch() {
        return epochs.get(epochs.size() - 1);
    }

    /**
     * How {@code now} differs from this run's settings, one phrase per setting, e.g. {@code "batch size is 32 in
     * the run but 16 now"}; empty if they are the same.
     */
    List<String> differences(Map<String, String> now) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String current = now.get(setting.getKey());
            if (!Objects.equals(setting.getValue(), current)) {
                differences.add(setting.getKey() + " is " + setting.getValue() + " in the run but "
                        + (current == null ? "not given" : current) + " now");
            }
        }
        for (Map.Entry<String, String> setting : now.entrySet()) {
            if (!settings.containsKey(setting.getKey())) {
                differences.add(setting.getKey() + " is " + setting.getValue() + " now but was not recorded by the run");
            }
        }
        return differences;
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("TrainingState holds only numbers, strings and lists", e);
        }
    }

    /** Parses the JSON of {@link #toJson()}; Jackson's message, if any, goes into the IOException. */
    static TrainingState fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, TrainingState.class);
    }
}
