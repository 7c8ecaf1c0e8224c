package io.github.capsnet4j.bench;

import io.github.capsnet4j.bench.BenchResults.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.capsnet4j.bench.BenchResultsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {

    private static final BenchSettings SETTINGS = new BenchSettings(List.of(32, 128), List.of(128), 3, 5, 2, 2,
            List.of(BenchSystem.OURS, BenchSystem.BUILTIN, BenchSystem.TORCH), "/usr/bin/python3", null);

    private static String timing(String mode, int batch, double... ms) {
        StringBuilder times = new StringBuilder();
        for (double value : ms) {
            times.append(times.length() == 0 ? "" : ", ").append(value);
        }
        return "{\"mode\": \"" + mode + "\", \"batch\": " + batch + ", \"ms\": [" + times + "], \"threads\": 2}";
    }

    private static BenchResults results() {
        BenchResults results = new BenchResults();
        results.setMachine("2 cores (Test CPU), 2025-01-01T00:00:00Z");
        results.add("ours", json(timing("train", 32, 400, 500, 600)));
        results.add("ours", json(timing("train", 128, 2000)));
        results.add("ours", json(timing("infer", 128, 640)));
        results.add("ours", json("{\"mode\": \"memory\", \"peak_rss_kib\": 2097152}"));
        results.add("torch", json(timing("train", 32, 400)));
        results.add("torch", json(timing("train", 128, 1000)));
        results.add("torch", json(timing("infer", 128, 320)));
        results.add("builtin", json(timing("train", 32, 5000)));
        results.add(MatmulPeak.WORKER, json("{\"mode\": \"peak_sgemm\", \"gflops_median\": 100.0}"));
        results.add(TorchPeer.PEAK_WORKER, json("{\"mode\": \"peak_sgemm\", \"gflops_median\": 80.0}"));
        results.addNotice("builtin failed in round 1 with exit status 137 (killed: out of memory?)");
        return results;
    }

    @Test
    void tableHasAColumnPerBatchAndARowPerSystem() {
        String report = new BenchReport(SETTINGS, results()).markdown();
        assertTrue(report.contains("| system | train b=32 | train b=128 | infer b=128 | peak RSS |\n|---|---:|---:|---:|---:|\n"), report);
        assertTrue(report.contains("| ours (capsnet4j layers) | 500 ms | 2,000 ms | 640 ms | 2.00 GiB |\n"), report);
        assertTrue(report.contains("| DL4J built-in capsule layers | 5,000 ms | – | – | – |\n"), report);
        assertTrue(report.contains("| PyTorch reference | 400 ms | 1,000 ms | 320 ms | – |\n"), report);
    }

    @Test
    void ratiosAreOursOverEachPeer() {
        String report = new BenchReport(SETTINGS, results()).markdown();
        assertTrue(report.contains("- ours vs DL4J built-in capsule layers: train b=32 0.10×\n"), report);
        assertTrue(report.contains("- ours vs PyTorch reference: train b=32 1.25×, train b=128 2.00×, infer b=128 2.00×\n"), report);
    }

    @Test
    void throughputIsAgainstTheFasterPeak() {
        String report = new BenchReport(SETTINGS, results()).markdown();
        assertTrue(report.contains("ND4J 100.0 GFLOP/s, PyTorch 80.0 GFLOP/s"), report);
        // 32 images in 0.5 s = 64 img/s × 1.2203 GFLOP = 78.1 GFLOP/s of 100; 60,000 images / 64 img/s = 15.6 min
        assertTrue(report.contains("| ours (capsnet4j layers) | 64.0 img/s, 78.1 % of peak, epoch 15.6 min |"), report);
        assertTrue(report.contains("## Notices\n\n- builtin failed in round 1"), report);
    }

    @Test
    void skippedSystemsHaveNoRowButANotice() {
        BenchResults results = new BenchResults();
        results.add("ours", json(timing("train", 32, 500)));
        results.addSkipped("torch", "PyTorch skipped: python3 cannot import torch");
        String report = new BenchReport(SETTINGS, results).markdown();
        assertTrue(!report.contains("| PyTorch reference |") && !report.contains("ours vs PyTorch"), report);
        assertTrue(report.contains("| DL4J built-in capsule layers | – | – | – | – |"), report);
        assertTrue(report.contains("- PyTorch skipped: python3 cannot import torch\n"), report);
    }

    @Test
    void cellFormats() {
        assertEquals("7.25 ms", BenchReport.milliseconds(7.25));
        assertEquals("72.5 ms", BenchReport.milliseconds(72.5));
        assertEquals("37,125 ms", BenchReport.milliseconds(37125.4));
        assertEquals("8.60 GiB", BenchReport.gibibytes(9_017_753L));
        assertEquals("200.0 img/s", BenchReport.throughput(new Column(BenchResults.INFER, 128), 640, 0));
        // inference: 200 img/s × 0.40677 GFLOP = 81.4 GFLOP/s of 100
        assertEquals("200.0 img/s, 81.4 % of peak", BenchReport.throughput(new Column(BenchResults.INFER, 128), 640, 100));
        // training: 128 images in 0.64 s = 200 img/s; 60,000 images take 300 s
        assertEquals("200.0 img/s, epoch 5.0 min", BenchReport.throughput(new Column(BenchResults.TRAIN, 128), 640, 0));
    }

    @Test
    void environmentLines() {
        String nd4j = BenchReport.nd4j(json("{\"nd4j_binary\": \"linux-x86_64-onednn-avx2\", \"binary_level\": \"AVX/AVX2\","
                + " \"cpu_level\": \"AVX512\", \"build\": \"HAVE_ONEDNN HAVE_OPENBLAS\", \"blas_vendor\": \"OPENBLAS\","
                + " \"omp_threads\": \"2\", \"blas_threads\": \"2\", \"java\": \"17\"}"));
        assertEquals("ND4J binary linux-x86_64-onednn-avx2 (AVX/AVX2; this CPU supports AVX512), HAVE_ONEDNN HAVE_OPENBLAS,"
                + " BLAS OPENBLAS, OpenMP threads 2, BLAS threads 2, Java 17", nd4j);
        String openblas = BenchReport.torch(json("{\"torch\": \"1.13.0a0\", \"mkldnn\": true, \"libs_mapped\":"
                + " [\"/usr/lib/x86_64-linux-gnu/libdnnl.so.2.6\", \"/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3\","
                + " \"/usr/lib/x86_64-linux-gnu/openblas-openmp/liblapack.so.3\","
                + " \"/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so\"]}"));
        assertEquals("PyTorch 1.13.0a0, oneDNN true, BLAS libblas.so.3 libopenblasp-r0.3.21.so", openblas);
        String reference = BenchReport.torch(json("{\"torch\": \"1.13.0a0\", \"mkldnn\": true, \"libs_mapped\":"
                + " [\"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3\"]}"));
        assertTrue(reference.contains("WARNING"), reference);
    }
}
