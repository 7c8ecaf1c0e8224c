package io.github.capsnet4j.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSettingsTest {

    private static BenchSettings settings(List<Integer> batches, List<Integer> inferBatches, int rounds) {
        return new BenchSettings(batches, inferBatches, rounds, 5, 2, 2, List.of(BenchSystem.OURS), "python3", null);
    }

    @Test
    void inferenceBatchesMustBeTrainingBatches() {
        IllegalArgumentException infer = assertThrows(IllegalArgumentException.class, () -> settings(List.of(32), List.of(128), 3));
        assertEquals("--infer-batches [128] must be among --batches [32] (each worker infers at the batch sizes it trains at)",
                infer.getMessage());
        IllegalArgumentException rounds = assertThrows(IllegalArgumentException.class, () -> settings(List.of(32), List.of(32), 0));
        assertTrue(rounds.getMessage().startsWith("--rounds, --reps and --threads must be at least 1"), rounds.getMessage());
        assertEquals("[train b=32, train b=128, infer b=128]", settings(List.of(32, 128), List.of(128), 3).columns().toString());
    }

    @Test
    void systemsByName() {
        assertEquals(BenchSystem.BUILTIN, BenchSystem.parse(" Builtin"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> BenchSystem.parse("tensorflow"));
        assertEquals("Unknown system 'tensorflow'; choose from ours, builtin, torch", unknown.getMessage());
    }

    @Test
    void torchCommandsPassTheSettings() throws IOException {
        BenchSettings settings = new BenchSettings(List.of(32, 128), List.of(128), 3, 7, 1, 2, List.of(BenchSystem.TORCH),
                "/usr/bin/python3", Path.of("torch_capsnet.py"));
        TorchPeer torch = TorchPeer.of(settings.python, settings.torchScript);
        List<String> bench = torch.benchCommand(settings);
        assertEquals(List.of("/usr/bin/python3", "-c"), bench.subList(0, 2));
        assertEquals(List.of("torch_capsnet.py", "bench", "--threads", "2", "--batches", "32,128", "--infer-batches", "128",
                "--reps", "7", "--warmup", "1"), bench.subList(3, bench.size()));
        assertEquals(List.of("/usr/bin/python3", "torch_capsnet.py", "peak", "--threads", "2", "--n", "2048", "--reps", "10"),
                torch.peakCommand(2));
    }
}
