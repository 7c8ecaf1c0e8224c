package io.github.capsnet4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the benchmark reads from Linux's {@code /proc}: a process's peak resident memory ({@code VmHWM},
 * the high-water mark of its resident set, in {@code /proc/<pid>/status}), the load average and the
 * CPU model. On systems without {@code /proc} the values are reported as unknown.
 */
final class ProcInfo {

    static final String UNKNOWN = "unknown";

    private ProcInfo() {
    }

    /** This process's peak resident memory in KiB, unless {@code /proc/self/status} is unreadable. */
    static OptionalLong selfPeakRssKib() {
        try {
            return OptionalLong.of(peakRssKib(read("/proc/self/status")));
        } catch (IOException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The {@code VmHWM} of a {@code /proc/<pid>/status} text in KiB.
     *
     * @throws IllegalArgumentException if there is no {@code VmHWM: <n> kB} line
     */
    static long peakRssKib(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] fields = line.substring("VmHWM:".length()).trim().split("\\s+");
                if (fields.length == 2 && fields[1].equals("kB")) {
                    return Long.parseLong(fields[0]);
                }
            }
        }
        throw new IllegalArgumentException("no 'VmHWM: <n> kB' line in the process status");
    }

    /** The 1, 5 and 15 minute load averages, or {@link #UNKNOWN}. */
    static List<String> loadavg() {
        try {
            return Arrays.asList(read("/proc/loadavg").trim().split("\\s+")).subList(0, 3);
        } catch (IOException | IndexOutOfBoundsException e) {
            return List.of(UNKNOWN);
        }
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}, or {@link #UNKNOWN}. */
    static String cpuModel() {
        try {
            for (String line : read("/proc/cpuinfo").split("\n")) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file));
    }
}
