package io.github.capsnet4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(7.0, Stats.median(List.of(7.0)));
    }

    @Test
    void medianOfNothingIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
    }

    @Test
    void ratioIsOursOverPeer() {
        assertEquals(0.5, Stats.ratio(100, 200));
        assertEquals(2.0, Stats.ratio(300, 150));
    }

    @Test
    void imagesPerSecond() {
        assertEquals(64.0, Stats.imagesPerSecond(32, 500), 1e-12);
    }
}
