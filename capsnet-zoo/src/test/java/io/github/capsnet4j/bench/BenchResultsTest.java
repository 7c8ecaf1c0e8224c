package io.github.capsnet4j.bench;

import io.github.capsnet4j.bench.BenchResults.Column;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchResultsTest {

    /** Lines as the PyTorch reference prints them. */
    static final String TORCH_TRAIN = "{\"system\": \"torch:capsnet\", \"mode\": \"train\", \"batch\": 32, \"ms\": [4139.9, 3678.0],"
            + " \"cpu_ms\": [1722.2, 2161.1], \"median_ms\": 3908.95, \"loadavg\": [\"7.38\", \"5.41\", \"3.22\"], \"threads\": 2}";
    static final String TORCH_MEMORY = "{\"system\": \"torch\", \"mode\": \"memory\", \"peak_rss_kib\": 618840}";
    static final String TORCH_PEAK = "{\"system\": \"torch\", \"mode\": \"peak_sgemm\", \"n\": 2048, \"median_ms\": 217.7,"
            + " \"gflops_median\": 78.9, \"gflops_best\": 94.3, \"loadavg\": [\"7.51\", \"5.47\", \"3.25\"], \"threads\": 2}";

    static JsonNode json(String line) {
        return WorkerProcess.parse(line).orElseThrow();
    }

    @Test
    void onlyJsonObjectLinesAreResults() {
        assertTrue(WorkerProcess.parse(TORCH_TRAIN).isPresent());
        assertFalse(WorkerProcess.parse("[main] INFO org.nd4j.linalg.factory.Nd4jBackend - Loaded [CpuBackend] backend").isPresent());
        assertFalse(WorkerProcess.parse("{not json").isPresent());
        assertFalse(WorkerProcess.parse("").isPresent());
    }

    @Test
    void torchTimingsArePooledOverRounds() {
        BenchResults results = new BenchResults();
        results.add("torch", json(TORCH_TRAIN));
        results.add("torch", json(TORCH_TRAIN.replace("[4139.9, 3678.0]", "[1000.0]")));
        Column train32 = new Column(BenchResults.TRAIN, 32);
        assertEquals(3, results.steps("torch", train32));
        assertEquals(3678.0, results.medianMs("torch", train32).getAsDouble());
        assertEquals(2, results.threads("torch").getAsInt());
        assertFalse(results.medianMs("torch", new Column(BenchResults.INFER, 32)).isPresent());
        assertFalse(results.medianMs("ours", train32).isPresent());
    }

    @Test
    void memoryKeepsTheLargestAndPeakTheMedianOverRounds() {
        BenchResults results = new BenchResults();
        results.add("torch", json(TORCH_MEMORY));
        results.add("torch", json(TORCH_MEMORY.replace("618840", "500000")));
        assertEquals(618_840L, results.peakRssKib("torch").getAsLong());
        results.add(TorchPeer.PEAK_WORKER, json(TORCH_PEAK));
        results.add(TorchPeer.PEAK_WORKER, json(TORCH_PEAK.replace("78.9", "60.0")));
        results.add(TorchPeer.PEAK_WORKER, json(TORCH_PEAK.replace("78.9", "90.0")));
        assertEquals(78.9, results.matmulGflops(TorchPeer.PEAK_WORKER).getAsDouble());
        assertFalse(results.matmulGflops(MatmulPeak.WORKER).isPresent());
    }

    @Test
    void firstEnvironmentIsKeptAndUnknownModesIgnored() {
        BenchResults results = new BenchResults();
        results.add("ours", json("{\"mode\": \"environment\", \"nd4j_binary\": \"linux-x86_64-onednn-avx2\"}"));
        results.add("ours", json("{\"mode\": \"environment\", \"nd4j_binary\": \"other\"}"));
        results.add("ours", json("{\"mode\": \"something else\", \"batch\": 32, \"ms\": [1.0]}"));
        assertEquals("linux-x86_64-onednn-avx2", results.environment("ours").get().path("nd4j_binary").asText());
        assertEquals(0, results.steps("ours", new Column("something else", 32)));
    }
}
