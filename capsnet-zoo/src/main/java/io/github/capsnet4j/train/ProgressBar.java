package io.github.capsnet4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar with ETA for long loops, on stderr: redrawn in place (at most 4 times a second)
 * on a terminal, one line per 10% otherwise (logs, CI, notebooks).
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final long first;
    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;

    public ProgressBar(String label, long total) {
        this(label, total, 0);
    }

    /** A bar that starts at {@code first} steps done, e.g. in a resumed epoch; the ETA counts only the steps done since. */
    public ProgressBar(String label, long total, long first) {
        this(label, total, first, System.err, System.console() != null);
    }

    ProgressBar(String label, long total, long first, PrintStream out, boolean interactive) {
        this.label = label;
        this.total = Math.max(1, total);
        this.first = first;
        this.out = out;
        this.interactive = interactive;
    }

    /** Reports {@code done} of {@code total} steps, with a short status such as the running loss. */
    public void update(long done, String status) {
        long now = System.nanoTime();
        int decile = (int) (10 * done / total);
        boolean finished = done >= total;
        if (interactive ? (now - lastDraw < 250_000_000L && !finished) : (decile == lastDecile && !finished)) {
            return;
        }
        lastDraw = now;
        lastDecile = decile;
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d  %s  ETA %s  %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, duration(elapsedSeconds()), duration(eta(done)), status);
        if (interactive) {
            out.print("\r" + line + (finished ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private double eta(long done) {
        return done <= first ? Double.NaN : elapsedSeconds() * (total - done) / (done - first);
    }

    /** {@code m:ss} or {@code h:mm:ss}; "?" when unknown. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
