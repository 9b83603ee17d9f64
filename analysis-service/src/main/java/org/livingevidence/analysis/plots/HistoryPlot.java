package org.livingevidence.analysis.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A living estimate's history as SVG: the pooled estimate and its interval at each estimate version, oldest on the
 * left, the null as a dashed line, and each version whose conclusion shifted marked and labelled with what changed.
 * Ratios on a log axis. Same input, same bytes.
 */
public final class HistoryPlot {

    /**
     * One estimate version on the natural scale.
     *
     * @param shift what changed in the conclusion at this version, in words ("became significant"), or null
     */
    public record Point(long version, double estimate, double ciLower, double ciUpper, String shift) {
    }

    /** @param points oldest first */
    public record Input(String title, String measureLabel, boolean logScale, double nullValue, double ciLevel, List<Point> points) {
    }

    static final double WIDTH = 860;
    static final double HEIGHT = 440;
    static final double LEFT = 80;
    static final double RIGHT = 820;
    static final double TOP = 90;
    static final double BOTTOM = 340;

    private HistoryPlot() {
    }

    public static String svg(Input in) {
        List<Point> points = in.points();
        boolean log = in.logScale();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        List<Double> values = new ArrayList<>();
        values.add(in.nullValue());
        for (Point p : points) {
            values.add(p.ciLower());
            values.add(p.ciUpper());
        }
        for (double v : values) {
            if (Double.isFinite(v) && (!log || v > 0)) {
                low = Math.min(low, log ? Math.log(Math.max(v, 0.01)) : v);
                high = Math.max(high, log ? Math.log(Math.min(v, 100)) : v);
            }
        }
        if (!(high > low)) {
            low -= 1;
            high += 1;
        }
        double pad = (high - low) * 0.05;
        double yLow = low - pad;
        double yHigh = high + pad;
        java.util.function.DoubleUnaryOperator y = v -> {
            double t = log ? Math.log(Math.max(0.01, Math.min(100, v))) : v;
            t = Math.max(yLow, Math.min(yHigh, t));
            return BOTTOM - (t - yLow) / (yHigh - yLow) * (BOTTOM - TOP);
        };
        double step = points.size() > 1 ? (RIGHT - LEFT - 40) / (points.size() - 1) : 0;
        java.util.function.IntToDoubleFunction x = i -> points.size() > 1 ? LEFT + 20 + i * step : (LEFT + RIGHT) / 2;

        String level = ForestPlot.percent(in.ciLevel());
        Svg svg = new Svg(WIDTH, HEIGHT, in.title(), description(in, level));
        svg.text(16, 24, in.title(), "start", "bold");
        svg.text(16, 44, "Pooled " + in.measureLabel() + " with " + level + " confidence interval at each estimate version; "
                + "conclusion shifts marked", "start", null);
        svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, "#1f2937", 1, null).line(LEFT, TOP, LEFT, BOTTOM, "#1f2937", 1, null);
        for (double tick : log ? FunnelPlot.logTicks(yLow, yHigh) : FunnelPlot.ticks(yLow, yHigh)) {
            double natural = log ? Math.exp(tick) : tick;
            svg.line(LEFT - 5, y.applyAsDouble(natural), LEFT, y.applyAsDouble(natural), "#1f2937", 1, null);
            svg.text(LEFT - 8, y.applyAsDouble(natural) + 4, ForestPlot.tick(natural), "end", null);
        }
        if (Double.isFinite(in.nullValue()) && (!log || in.nullValue() > 0)) {
            svg.line(LEFT, y.applyAsDouble(in.nullValue()), RIGHT, y.applyAsDouble(in.nullValue()), "#6b7280", 1, "4 3");
        }
        int shifts = 0;
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double px = x.applyAsDouble(i);
            if (p.shift() != null) {
                svg.line(px, TOP - 6, px, BOTTOM, "#b45309", 1.5, "2 2");
                // Labels alternate between two lines so that neighbouring shifts do not overwrite each other.
                svg.text(px, TOP - 12 - 14 * (shifts++ % 2), "v" + p.version() + ": " + p.shift(), "middle", null);
            }
            svg.line(px, y.applyAsDouble(p.ciLower()), px, y.applyAsDouble(p.ciUpper()), "#1f2937", 1.5, null);
            svg.circle(px, y.applyAsDouble(p.estimate()), 4, "#1f4e79", "#ffffff");
        }
        int every = Math.max(1, (int) Math.ceil(points.size() / 20.0));
        for (int i = 0; i < points.size(); i += every) {
            svg.text(x.applyAsDouble(i), BOTTOM + 18, Long.toString(points.get(i).version()), "middle", null);
        }
        svg.text((LEFT + RIGHT) / 2, BOTTOM + 40, "Estimate version", "middle", null);
        svg.text(16, (TOP + BOTTOM) / 2, in.measureLabel(), "start", null);
        return svg.end();
    }

    static String description(Input in, String level) {
        List<Point> points = in.points();
        if (points.isEmpty()) {
            return "No estimate yet.";
        }
        Point first = points.get(0);
        Point last = points.get(points.size() - 1);
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "Pooled %s over %d estimate versions, from %s (%s CI %s to %s) at "
                + "version %d to %s (%s to %s) at version %d.", in.measureLabel(), points.size(), ForestPlot.value(first.estimate()), level,
                ForestPlot.value(first.ciLower()), ForestPlot.value(first.ciUpper()), first.version(), ForestPlot.value(last.estimate()),
                ForestPlot.value(last.ciLower()), ForestPlot.value(last.ciUpper()), last.version()));
        for (Point p : points) {
            if (p.shift() != null) {
                d.append(" Version ").append(p.version()).append(": ").append(p.shift()).append('.');
            }
        }
        return d.toString();
    }
}
