package io.github.capsnet4j.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A training run's accuracy per epoch as a line chart: one line per series (e.g. validation and test), epochs on the
 * x axis, accuracy in percent on the y axis, which spans the series' values (at least 0.5 percentage points, so that
 * the last epochs' differences of a few hundredths stay visible). Missing values (NaN: a run without that split) are
 * left out.
 */
public final class AccuracyChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final double MINIMUM_SPAN = 0.5;                        // percentage points
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    private final String title;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> series = new ArrayList<>();

    /** A chart with the given title and no series yet. */
    public AccuracyChart(String title) {
        this.title = title;
    }

    /**
     * Adds a series: {@code accuracy[e]} is the accuracy (0 to 1) after epoch {@code e + 1}, NaN where not measured.
     *
     * @return this chart
     */
    public AccuracyChart series(String name, double[] accuracy) {
        if (series.size() == COLOURS.length) {
            throw new IllegalArgumentException("An accuracy chart holds at most " + COLOURS.length + " series");
        }
        names.add(name);
        series.add(accuracy.clone());
        return this;
    }

    /** The chart as an RGB image; an empty frame when no value is known yet. */
    public BufferedImage render() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, TOP - 18);
            int epochs = series.stream().mapToInt(values -> values.length).max().orElse(0);
            double[] range = percentRange();
            axes(g, Math.max(epochs, 1), range);
            for (int s = 0; s < series.size(); s++) {
                line(g, series.get(s), Math.max(epochs, 1), range, COLOURS[s]);
            }
            legend(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** [low, high] of the y axis in percent: the known values, widened to the minimum span, on 0.1-point steps. */
    private double[] percentRange() {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double[] values : series) {
            for (double value : values) {
                if (!Double.isNaN(value)) {
                    low = Math.min(low, 100 * value);
                    high = Math.max(high, 100 * value);
                }
            }
        }
        if (low > high) {
            return new double[]{99, 100};
        }
        double middle = (low + high) / 2;
        double half = Math.max(high - low, MINIMUM_SPAN) / 2 * 1.1;          // a margin above and below the lines
        double top = Math.min(100, Math.ceil((middle + half) * 10) / 10);
        return new double[]{Math.min(Math.floor((middle - half) * 10) / 10, top - MINIMUM_SPAN), top};
    }

    private static int x(double epoch, int epochs) {
        double plotWidth = WIDTH - LEFT - RIGHT;
        return (int) Math.round(LEFT + (epochs == 1 ? plotWidth / 2 : (epoch - 1) / (epochs - 1) * plotWidth));
    }

    private static int y(double percent, double[] range) {
        double plotHeight = HEIGHT - TOP - BOTTOM;
        return (int) Math.round(TOP + (range[1] - percent) / (range[1] - range[0]) * plotHeight);
    }

    private static void axes(Graphics2D g, int epochs, double[] range) {
        FontMetrics metrics = g.getFontMetrics();
        double step = niceStep((range[1] - range[0]) / 6);
        for (double percent = Math.ceil(range[0] / step) * step; percent <= range[1] + 1e-9; percent += step) {
            int y = y(percent, range);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.BLACK);
            String label = String.format(Locale.ROOT, step < 0.1 ? "%.2f %%" : "%.1f %%", percent);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2);
        }
        int every = Math.max(1, (int) Math.ceil(epochs / 15.0));            // at most about 15 epoch labels
        for (int epoch = 1; epoch <= epochs; epoch += every) {
            String label = Integer.toString(epoch);
            g.drawString(label, x(epoch, epochs) - metrics.stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
        }
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        String xTitle = "epoch";
        g.drawString(xTitle, LEFT + (WIDTH - LEFT - RIGHT - metrics.stringWidth(xTitle)) / 2, HEIGHT - 12);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    private static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[]{1, 2, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static void line(Graphics2D g, double[] values, int epochs, double[] range, Color colour) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(2f));
        int previousX = -1;
        int previousY = -1;
        for (int e = 0; e < values.length; e++) {
            if (Double.isNaN(values[e])) {
                previousX = -1;
                continue;
            }
            int x = x(e + 1, epochs);
            int y = y(100 * values[e], range);
            g.fillOval(x - 3, y - 3, 7, 7);
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, x, y);
            }
            previousX = x;
            previousY = y;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private void legend(Graphics2D g) {
        FontMetrics metrics = g.getFontMetrics();
        int x = WIDTH - RIGHT - 10;
        for (int s = names.size() - 1; s >= 0; s--) {
            String name = names.get(s);
            x -= metrics.stringWidth(name);
            g.setColor(Color.BLACK);
            g.drawString(name, x, TOP - 18);
            x -= 22;
            g.setColor(COLOURS[s]);
            g.fillRect(x, TOP - 18 - metrics.getAscent() / 2 - 1, 16, 4);
            x -= 14;
        }
    }
}
