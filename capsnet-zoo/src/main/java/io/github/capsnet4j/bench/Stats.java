package io.github.capsnet4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The benchmark's two statistics: the median of a series of step times, and a time ratio. */
final class Stats {

    private Stats() {
    }

    /** The median (mean of the two middle values for an even count). */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** {@code ours / peer}: below 1 means ours takes less time. */
    static double ratio(double oursMs, double peerMs) {
        return oursMs / peerMs;
    }

    /** Images per second for a step of {@code batch} images taking {@code ms} milliseconds. */
    static double imagesPerSecond(int batch, double ms) {
        return batch * 1000.0 / ms;
    }
}
