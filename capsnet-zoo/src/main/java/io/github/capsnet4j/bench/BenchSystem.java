package io.github.capsnet4j.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The systems the benchmark compares, each the paper's MNIST CapsNet with its decoder (8,215,568
 * parameters), run by its own worker process.
 */
public enum BenchSystem {
    /** This project's layers: {@link io.github.capsnet4j.zoo.CapsNetMnist}. */
    OURS("ours", "ours (capsnet4j layers)"),
    /** The same network from DL4J's {@code PrimaryCapsules}/{@code CapsuleLayer}: {@link BuiltinCapsNet}. */
    BUILTIN("builtin", "DL4J built-in capsule layers"),
    /** The PyTorch reference script: {@link TorchPeer}. */
    TORCH("torch", "PyTorch reference");

    private final String id;
    private final String label;

    BenchSystem(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name on the command line and in the JSON lines. */
    public String id() {
        return id;
    }

    /** The name in the report. */
    public String label() {
        return label;
    }

    /** The system named {@code id} on the command line. */
    public static BenchSystem parse(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(system -> system.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown system '" + id + "'; choose from "
                        + Arrays.stream(values()).map(BenchSystem::id).collect(Collectors.joining(", "))));
    }
}
