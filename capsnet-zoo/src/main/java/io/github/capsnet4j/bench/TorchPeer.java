package io.github.capsnet4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch peer: {@code torch_capsnet.py}, the labml reference CapsNet in plain {@code torch.nn} (paper
 * routing, label masking, Adam), run by an interpreter with Debian's {@code python3-torch}. The script is a
 * resource beside this class; {@code --torch-script} runs another.
 *
 * <p>Its {@code bench} sub-command times the training step ({@code zero_grad}, forward, margin +
 * reconstruction loss, backward, {@code Adam.step}) and inference ({@code no_grad} forward; it masks the
 * decoder's input by the label where ours masks by the prediction, at the same cost) on a fixed random batch, printing the same JSON lines as {@link BenchWorker}; {@code peak} times the 2048² sgemm;
 * {@code info} describes the torch build and the BLAS it loaded. The bench runs under a small wrapper that
 * executes the script with {@code runpy} and prints the process's peak resident memory at exit
 * ({@code ru_maxrss}, KiB on Linux).
 */
final class TorchPeer {

    /** The worker that measures PyTorch's matmul peak. */
    static final String PEAK_WORKER = "torch-peak";
    static final String INSTALL = "apt-get install -y python3-torch libopenblas0-openmp";
    private static final String WRAPPER = "import json, resource, runpy, sys; sys.argv = sys.argv[1:];"
            + " runpy.run_path(sys.argv[0], run_name='__main__');"
            + " print(json.dumps({'system': 'torch', 'mode': '" + BenchResults.MEMORY + "',"
            + " 'peak_rss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)";

    private final String python;
    private final Path script;

    private TorchPeer(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /** Whether {@code python} can import torch. */
    static boolean available(String python) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The peer running {@code script}, or the bundled script when it is {@code null}. */
    static TorchPeer of(String python, Path script) throws IOException {
        return new TorchPeer(python, script != null ? script : bundledScript());
    }

    private static Path bundledScript() throws IOException {
        Path copy = Files.createTempFile("torch_capsnet", ".py");
        copy.toFile().deleteOnExit();
        try (InputStream in = TorchPeer.class.getResourceAsStream("torch_capsnet.py")) {
            if (in == null) {
                throw new IOException("torch_capsnet.py is missing from the jar; pass --torch-script");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    /** {@code bench} at the settings' batch sizes, steps and threads, with the peak-memory wrapper. */
    List<String> benchCommand(BenchSettings settings) {
        return List.of(python, "-c", WRAPPER, script.toString(), "bench", "--threads", String.valueOf(settings.threads),
                "--batches", BenchSettings.commaList(settings.batches), "--infer-batches", BenchSettings.commaList(settings.inferBatches),
                "--reps", String.valueOf(settings.reps), "--warmup", String.valueOf(settings.warmup));
    }

    /** {@code peak}: the same product as {@link MatmulPeak}. */
    List<String> peakCommand(int threads) {
        return List.of(python, script.toString(), "peak", "--threads", String.valueOf(threads),
                "--n", String.valueOf(MatmulPeak.N), "--reps", String.valueOf(MatmulPeak.REPS));
    }

    /** {@code info}: the torch version, its build and the BLAS libraries it mapped. */
    List<String> infoCommand(int threads) {
        return List.of(python, script.toString(), "info", "--threads", String.valueOf(threads));
    }
}
