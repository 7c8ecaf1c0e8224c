package io.github.capsnet4j.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcInfoTest {

    private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t4242\n"
            + "VmPeak:\t12345678 kB\nVmSize:\t12000000 kB\nVmHWM:\t 8765432 kB\nVmRSS:\t 5000000 kB\nThreads:\t42\n";

    @Test
    void peakRssIsVmHwmInKib() {
        assertEquals(8_765_432L, ProcInfo.peakRssKib(STATUS));
    }

    @Test
    void statusWithoutVmHwmIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> ProcInfo.peakRssKib("Name:\tkthreadd\nVmRSS:\t0 kB\n"));
    }

    @Test
    void selfPeakRssIsPositiveOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(ProcInfo.selfPeakRssKib().getAsLong() > 0);
            assertEquals(3, ProcInfo.loadavg().size());
        }
    }
}
