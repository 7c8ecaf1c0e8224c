package io.github.capsnet4j.train;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training run has done so far, saved beside its checkpoint as JSON: the settings a resumed run must
 * keep (seed, batch size) and one record per finished epoch.
 */
public final class TrainingState {

    /** One finished epoch. */
    public static final class Epoch {
        @JsonProperty public int epoch;
        @JsonProperty public double meanLoss;
        @JsonProperty public double testAccuracy;
        @JsonProperty public double seconds;

        public Epoch() {
        }

        Epoch(int epoch, double meanLoss, double testAccuracy, double seconds) {
            this.epoch = epoch;
            this.meanLoss = meanLoss;
            this.testAccuracy = testAccuracy;
            this.seconds = seconds;
        }
    }

    @JsonProperty public long seed;
    @JsonProperty public int batchSize;
    @JsonProperty public List<Epoch> epochs = new ArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public int epochsDone() {
        return epochs.size();
    }

    public double totalSeconds() {
        return epochs.stream().mapToDouble(e -> e.seconds).sum();
    }

    static TrainingState read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), TrainingState.class);
    }

    void write(Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temporary.toFile(), this);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
