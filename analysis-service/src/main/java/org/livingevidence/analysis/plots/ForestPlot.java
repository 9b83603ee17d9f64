package org.livingevidence.analysis.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A forest plot as SVG, drawn in plain Java: one row per study (label, estimate and interval on the natural scale, a
 * box whose area is the study's weight in the model the conclusion is drawn from), the fixed-effect and random-effects
 * diamonds, the prediction interval, a heterogeneity line, and "favours" labels on the side each direction favours. A
 * ratio is drawn on a log axis. The same input always gives the same bytes.
 */
public final class ForestPlot {

    /** One study: natural-scale estimate and interval; weight in percent; {@code note} a derivation flag or null. */
    public record Study(String label, double estimate, double ciLower, double ciUpper, double weightPercent, String note) {
    }

    /** A pooled estimate on the natural scale. */
    public record Pooled(String label, double estimate, double ciLower, double ciUpper) {
    }

    /**
     * What a plot shows.
     *
     * @param measureLabel    "HR", "RR", "MD", "proportion", ...
     * @param logScale        a ratio, drawn on a log axis
     * @param nullValue       where no effect lies on the natural scale (1 for a ratio, 0 for a difference)
     * @param lowerIsBenefit  whether values below the null favour the intervention
     * @param ciLevel         e.g. 0.95
     * @param prediction      natural-scale prediction interval of the random-effects model, or null
     * @param heterogeneity   one line in words, or null
     * @param weightsOf       which model's weights the boxes show, in words ("random-effects weights"); null for rows
     *                        without weights (a cumulative plot: equal boxes, no weight column)
     */
    public record Input(String title, String measureLabel, boolean logScale, double nullValue, boolean lowerIsBenefit,
                        double ciLevel, List<Study> studies, Pooled fixed, Pooled random, double[] prediction,
                        String heterogeneity, String weightsOf) {
    }

    static final double WIDTH = 860;
    static final double ROW = 22;
    static final double LABEL_X = 16;
    static final double PLOT_LEFT = 250;
    static final double PLOT_RIGHT = 580;
    static final double VALUE_X = 700;
    static final double WEIGHT_X = 840;
    static final double TOP = 64;

    private ForestPlot() {
    }

    public static String svg(Input in) {
        List<Study> studies = in.studies();
        int pooledRows = (in.fixed() == null ? 0 : 1) + (in.random() == null ? 0 : 1) + (in.prediction() == null ? 0 : 1);
        double bodyTop = TOP + ROW;
        double axisY = bodyTop + ROW * (studies.size() + 0.5 + pooledRows);
        double height = axisY + 92 + (in.heterogeneity() == null ? 0 : ROW);
        Axis axis = Axis.of(in);
        String level = percent(in.ciLevel());
        Svg svg = new Svg(WIDTH, height, in.title(), description(in, level));

        svg.text(LABEL_X, 24, in.title(), "start", "bold");
        svg.text(LABEL_X, 44, in.measureLabel() + " with " + level + " confidence intervals" + (in.weightsOf() == null ? "" : "; " + in.weightsOf()),
                "start", null);
        svg.text(LABEL_X, TOP + 8, "Study", "start", "bold");
        svg.text(VALUE_X, TOP + 8, in.measureLabel() + " (" + level + " CI)", "end", "bold");
        if (in.weightsOf() != null) {
            svg.text(WEIGHT_X, TOP + 8, "Weight", "end", "bold");
        }

        double maxWeight = studies.stream().mapToDouble(Study::weightPercent).max().orElse(1);
        double y = bodyTop;
        for (Study s : studies) {
            double centre = y + ROW / 2;
            svg.text(LABEL_X, centre + 4, s.note() == null ? s.label() : s.label() + " *", "start", null);
            interval(svg, axis, s.ciLower(), s.ciUpper(), centre, "#1f2937");
            if (axis.contains(s.estimate())) {
                // Area in proportion to the weight: the side grows with its square root.
                double side = in.weightsOf() == null ? 8 : 4 + 10 * Math.sqrt(Math.max(0, s.weightPercent()) / Math.max(maxWeight, 1e-12));
                svg.rect(axis.x(s.estimate()) - side / 2, centre - side / 2, side, side, "#1f4e79");
            }
            svg.text(VALUE_X, centre + 4, value(s.estimate()) + " (" + value(s.ciLower()) + " to " + value(s.ciUpper()) + ")", "end", null);
            if (in.weightsOf() != null) {
                svg.text(WEIGHT_X, centre + 4, String.format(Locale.ROOT, "%.1f%%", s.weightPercent()), "end", null);
            }
            y += ROW;
        }
        y += ROW / 2;
        for (Pooled p : new Pooled[] {in.fixed(), in.random()}) {
            if (p == null) {
                continue;
            }
            double centre = y + ROW / 2;
            svg.text(LABEL_X, centre + 4, p.label(), "start", "bold");
            double lo = axis.x(axis.clamp(p.ciLower()));
            double hi = axis.x(axis.clamp(p.ciUpper()));
            double mid = axis.x(axis.clamp(p.estimate()));
            svg.polygon("#b45309", lo, centre, mid, centre - 7, hi, centre, mid, centre + 7);
            svg.text(VALUE_X, centre + 4, value(p.estimate()) + " (" + value(p.ciLower()) + " to " + value(p.ciUpper()) + ")", "end", "bold");
            y += ROW;
        }
        if (in.prediction() != null) {
            double centre = y + ROW / 2;
            svg.text(LABEL_X, centre + 4, "Prediction interval", "start", null);
            interval(svg, axis, in.prediction()[0], in.prediction()[1], centre, "#b45309");
            svg.text(VALUE_X, centre + 4, "(" + value(in.prediction()[0]) + " to " + value(in.prediction()[1]) + ")", "end", null);
            y += ROW;
        }

        // The null line through every row, then the axis with its ticks.
        if (axis.contains(in.nullValue())) {
            svg.line(axis.x(in.nullValue()), bodyTop, axis.x(in.nullValue()), axisY, "#6b7280", 1, "4 3");
        }
        svg.line(PLOT_LEFT, axisY, PLOT_RIGHT, axisY, "#1f2937", 1, null);
        for (double tick : axis.ticks()) {
            svg.line(axis.x(tick), axisY, axis.x(tick), axisY + 5, "#1f2937", 1, null);
            svg.text(axis.x(tick), axisY + 18, tick(tick), "middle", null);
        }
        boolean leftIsBenefit = in.lowerIsBenefit();
        double nullX = axis.contains(in.nullValue()) ? axis.x(in.nullValue()) : (PLOT_LEFT + PLOT_RIGHT) / 2;
        svg.text(nullX - 6, axisY + 38, leftIsBenefit ? "Favours intervention" : "Favours comparator", "end", null);
        svg.text(nullX + 6, axisY + 38, leftIsBenefit ? "Favours comparator" : "Favours intervention", "start", null);
        double footer = axisY + 62;
        if (in.heterogeneity() != null) {
            svg.text(LABEL_X, footer, in.heterogeneity(), "start", null);
            footer += ROW;
        }
        if (studies.stream().anyMatch(s -> s.note() != null)) {
            svg.text(LABEL_X, footer, "* " + String.join("; ", studies.stream().filter(s -> s.note() != null)
                    .map(s -> s.label() + ": " + s.note()).toList()), "start", null);
        }
        return svg.end();
    }

    /** An interval's line, with an arrow head where it runs beyond the axis. */
    private static void interval(Svg svg, Axis axis, double lower, double upper, double y, String colour) {
        double from = axis.x(axis.clamp(lower));
        double to = axis.x(axis.clamp(upper));
        svg.line(from, y, to, y, colour, 1.5, null);
        if (lower < axis.low()) {
            svg.polygon(colour, from, y, from + 6, y - 4, from + 6, y + 4);
        }
        if (upper > axis.high()) {
            svg.polygon(colour, to, y, to - 6, y - 4, to - 6, y + 4);
        }
    }

    /** The plot in words, for screen readers. */
    static String description(Input in, String level) {
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "Forest plot of %d %s.", in.studies().size(),
                in.studies().size() == 1 ? "study" : "studies"));
        for (Pooled p : new Pooled[] {in.random(), in.fixed()}) {
            if (p != null) {
                d.append(' ').append(p.label()).append(": ").append(in.measureLabel()).append(' ').append(value(p.estimate()))
                        .append(" (").append(level).append(" CI ").append(value(p.ciLower())).append(" to ").append(value(p.ciUpper())).append(").");
            }
        }
        if (in.heterogeneity() != null) {
            d.append(' ').append(in.heterogeneity()).append('.');
        }
        return d.toString();
    }

    static String value(double v) {
        if (!Double.isFinite(v)) {
            return v > 0 ? "inf" : v < 0 ? "-inf" : "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a != 0 && a < 0.01 ? "%.3g" : a >= 100 ? "%.0f" : "%.2f", v);
    }

    /** An axis label: as few digits as the value needs ("0.5", "1", "20"). */
    static String tick(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4f", v)).stripTrailingZeros().toPlainString();
    }

    static String percent(double level) {
        double p = level * 100;
        return (p == Math.rint(p) ? Long.toString(Math.round(p)) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    /** The horizontal axis: log for ratios, linear otherwise, over the studies' and the pooled intervals. */
    record Axis(boolean log, double low, double high, List<Double> ticks) {

        static Axis of(Input in) {
            List<Double> values = new ArrayList<>();
            values.add(in.nullValue());
            for (Study s : in.studies()) {
                values.add(s.estimate());
                values.add(s.ciLower());
                values.add(s.ciUpper());
            }
            for (Pooled p : new Pooled[] {in.fixed(), in.random()}) {
                if (p != null) {
                    values.add(p.ciLower());
                    values.add(p.ciUpper());
                }
            }
            boolean log = in.logScale();
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
            if (log) {
                // Whole steps of 1-2-5 on the log axis, at most 0.01 to 100: wider intervals run off with an arrow.
                low = Math.max(0.01, floorNice(low));
                high = Math.min(100, ceilNice(high));
                if (!(high > low)) {
                    low = 0.5;
                    high = 2;
                }
                List<Double> ticks = new ArrayList<>();
                // 1, 2 and 5 per decade over up to two decades; beyond, one per decade, so that labels do not collide.
                double[] multiples = Math.log10(high / low) > 2.01 ? new double[] {1} : new double[] {1, 2, 5};
                for (double decade = 0.01; decade <= 100; decade *= 10) {
                    for (double m : multiples) {
                        double t = Math.round(decade * m * 1000) / 1000.0;
                        if (t >= low * (1 - 1e-9) && t <= high * (1 + 1e-9)) {
                            ticks.add(t);
                        }
                    }
                }
                return new Axis(true, low, high, ticks);
            }
            if (!(high > low)) {
                low -= 1;
                high += 1;
            }
            double step = niceStep((high - low) / 5);
            low = Math.floor(low / step) * step;
            high = Math.ceil(high / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (double t = low; t <= high + step * 1e-9; t += step) {
                ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
            }
            return new Axis(false, low, high, ticks);
        }

        double x(double value) {
            double f = log ? (Math.log(value) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (value - low) / (high - low);
            return PLOT_LEFT + f * (PLOT_RIGHT - PLOT_LEFT);
        }

        boolean contains(double value) {
            return value >= low && value <= high && (!log || value > 0);
        }

        double clamp(double value) {
            if (Double.isNaN(value)) {
                return low;
            }
            return Math.max(low, Math.min(high, value));
        }

        private static double floorNice(double v) {
            double decade = Math.pow(10, Math.floor(Math.log10(v)));
            for (double m : new double[] {5, 2, 1}) {
                if (decade * m <= v * (1 + 1e-12)) {
                    return decade * m;
                }
            }
            return decade;
        }

        private static double ceilNice(double v) {
            double decade = Math.pow(10, Math.floor(Math.log10(v)));
            for (double m : new double[] {1, 2, 5, 10}) {
                if (decade * m >= v * (1 - 1e-12)) {
                    return decade * m;
                }
            }
            return decade * 10;
        }

        private static double niceStep(double raw) {
            double decade = Math.pow(10, Math.floor(Math.log10(raw)));
            for (double m : new double[] {1, 2, 5, 10}) {
                if (decade * m >= raw) {
                    return decade * m;
                }
            }
            return decade * 10;
        }
    }
}
