package org.livingevidence.analysis.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A contour-enhanced funnel plot as SVG (Peters et al. 2008): each study's effect against its standard error (0 at the
 * top), on shading that shows where a study's own two-sided p against the null would be below 0.01, 0.01 to 0.05, 0.05
 * to 0.10 and above 0.10; the pooled estimate with its pseudo 95% limits; Egger's regression line (effect = intercept
 * + slope x SE: the line the studies lean along when small studies differ) with the test's p. Effects are drawn on the
 * analysis scale (log for ratios) and labelled on the natural scale. Same input, same bytes.
 */
public final class FunnelPlot {

    /** One study on the analysis scale. */
    public record Study(String label, double estimate, double standardError) {
    }

    /** Egger's regression: effect = {@code limitEstimate} + {@code slope} x SE, with the test's p. */
    public record Egger(double limitEstimate, double slope, double pValue) {
    }

    /**
     * @param nullValue   the null on the analysis scale (0; a proportion's reference logit)
     * @param pooled      the concluding model's estimate on the analysis scale
     * @param logScale    a ratio: the axis is labelled at 1-2-5 values of the ratio
     * @param toNatural   analysis scale to natural scale, for the axis labels
     * @param egger       null below three studies or when the SEs are all equal
     */
    public record Input(String title, String measureLabel, boolean logScale, double nullValue, double pooled, String pooledLabel,
                        List<Study> studies, Egger egger, DoubleUnaryOperator toNatural) {
    }

    static final double WIDTH = 680;
    static final double HEIGHT = 520;
    static final double LEFT = 80;
    static final double RIGHT = 640;
    static final double TOP = 64;
    static final double BOTTOM = 400;
    static final double[] Z = {1.6448536269514722, 1.959963984540054, 2.5758293035489004};
    static final String[] SHADES = {"#ffffff", "#e5e7eb", "#c7cbd1", "#9ca3af"};

    private FunnelPlot() {
    }

    public static String svg(Input in) {
        double seMax = 0;
        double low = in.nullValue();
        double high = in.nullValue();
        for (Study s : in.studies()) {
            seMax = Math.max(seMax, s.standardError());
            low = Math.min(low, s.estimate());
            high = Math.max(high, s.estimate());
        }
        seMax = seMax > 0 ? seMax * 1.1 : 1;
        // Wide enough for the widest contour at the bottom and every study.
        low = Math.min(low, in.nullValue() - Z[2] * seMax);
        high = Math.max(high, in.nullValue() + Z[2] * seMax);
        double pad = (high - low) * 0.05;
        double xLow = low - pad;
        double xHigh = high + pad;
        double finalSeMax = seMax;
        DoubleUnaryOperator x = v -> LEFT + (v - xLow) / (xHigh - xLow) * (RIGHT - LEFT);
        DoubleUnaryOperator y = se -> TOP + se / finalSeMax * (BOTTOM - TOP);
        Svg svg = new Svg(WIDTH, HEIGHT, in.title(), description(in));
        svg.text(16, 24, in.title(), "start", "bold");
        svg.text(16, 44, "Contour-enhanced funnel plot: " + in.measureLabel() + " (analysis scale) against its standard error", "start", null);

        svg.clip("funnel-area", LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP);
        svg.rect(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP, SHADES[3]);
        for (int i = Z.length - 1; i >= 0; i--) {
            double spread = Z[i] * seMax;
            svg.polygon(SHADES[i], x.applyAsDouble(in.nullValue()), y.applyAsDouble(0), x.applyAsDouble(in.nullValue() - spread),
                    y.applyAsDouble(seMax), x.applyAsDouble(in.nullValue() + spread), y.applyAsDouble(seMax));
        }
        // The pooled estimate and its pseudo 95% limits.
        svg.line(x.applyAsDouble(in.pooled()), TOP, x.applyAsDouble(in.pooled()), BOTTOM, "#1f2937", 1, null);
        svg.line(x.applyAsDouble(in.pooled()), TOP, x.applyAsDouble(in.pooled() - Z[1] * seMax), BOTTOM, "#1f2937", 1, "4 3");
        svg.line(x.applyAsDouble(in.pooled()), TOP, x.applyAsDouble(in.pooled() + Z[1] * seMax), BOTTOM, "#1f2937", 1, "4 3");
        if (in.egger() != null) {
            Egger e = in.egger();
            svg.line(x.applyAsDouble(e.limitEstimate()), TOP, x.applyAsDouble(e.limitEstimate() + e.slope() * seMax), BOTTOM,
                    "#b45309", 2, null);
        }
        for (Study s : in.studies()) {
            svg.circle(x.applyAsDouble(s.estimate()), y.applyAsDouble(s.standardError()), 4, "#1f4e79", "#ffffff");
        }
        svg.endClip();
        svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, "#1f2937", 1, null).line(LEFT, TOP, LEFT, BOTTOM, "#1f2937", 1, null);
        for (double tick : in.logScale() ? logTicks(xLow, xHigh) : ticks(xLow, xHigh)) {
            svg.line(x.applyAsDouble(tick), BOTTOM, x.applyAsDouble(tick), BOTTOM + 5, "#1f2937", 1, null);
            svg.text(x.applyAsDouble(tick), BOTTOM + 18, ForestPlot.tick(in.toNatural().applyAsDouble(tick)), "middle", null);
        }
        for (double tick : ticks(0, seMax)) {
            svg.line(LEFT - 5, y.applyAsDouble(tick), LEFT, y.applyAsDouble(tick), "#1f2937", 1, null);
            svg.text(LEFT - 8, y.applyAsDouble(tick) + 4, ForestPlot.tick(tick), "end", null);
        }
        svg.text((LEFT + RIGHT) / 2, BOTTOM + 36, in.measureLabel(), "middle", null);
        svg.text(16, (TOP + BOTTOM) / 2, "SE", "start", null);

        double legendY = BOTTOM + 62;
        String[] keys = {"p > 0.10", "0.05 to 0.10", "0.01 to 0.05", "p < 0.01"};
        for (int i = 0; i < keys.length; i++) {
            double lx = LEFT + i * 120;
            svg.rect(lx - 1, legendY - 11, 16, 14, "#6b7280").rect(lx, legendY - 10, 14, 12, SHADES[i])
                    .text(lx + 20, legendY, keys[i], "start", null);
        }
        svg.text(LEFT, legendY + 22, in.egger() == null ? "Egger's test: fewer than three studies, or equal standard errors"
                : String.format(Locale.ROOT, "Egger's regression line (orange): p = %s", p(in.egger().pValue())), "start", null);
        svg.text(LEFT, legendY + 40, "Pooled estimate (" + in.pooledLabel() + ") with pseudo 95% limits (dashed)", "start", null);
        return svg.end();
    }

    static String description(Input in) {
        String egger = in.egger() == null ? "Egger's test not available."
                : String.format(Locale.ROOT, "Egger's regression test for small-study effects: p = %s.", p(in.egger().pValue()));
        return String.format(Locale.ROOT, "Contour-enhanced funnel plot of %d %s; pooled %s %s (%s). %s", in.studies().size(),
                in.studies().size() == 1 ? "study" : "studies", in.measureLabel(), ForestPlot.value(in.toNatural().applyAsDouble(in.pooled())),
                in.pooledLabel(), egger);
    }

    private static String p(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** Log-scale positions of the ratios 1, 2 and 5 per decade (one per decade beyond two) within the range. */
    static List<Double> logTicks(double low, double high) {
        double[] multiples = (high - low) / Math.log(10) > 2.01 ? new double[] {1} : new double[] {1, 2, 5};
        List<Double> ticks = new ArrayList<>();
        for (int e = (int) Math.floor(low / Math.log(10)) - 1; e <= (int) Math.ceil(high / Math.log(10)); e++) {
            for (double m : multiples) {
                double t = Math.log(m * Math.pow(10, e));
                if (t >= low && t <= high) {
                    ticks.add(t);
                }
            }
        }
        return ticks;
    }

    /** About five ticks at a 1-2-5 step. */
    static List<Double> ticks(double low, double high) {
        double raw = (high - low) / 5;
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = decade * 10;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (decade * m >= raw) {
                step = decade * m;
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks;
    }
}
