package org.livingevidence.metaanalysis.derivation;

import java.util.List;

/**
 * A single-arm proportion (events of total), transformed for pooling as metafor's escalc: the logit ({@code PLO},
 * with 0.5 added to both counts when events are 0 or all), or the Freeman-Tukey double arcsine ({@code PFT}:
 * half the sum of the two arcsines, variance 1 / (4n + 2)), with their back-transformations.
 */
public final class SingleArmProportion {

    public enum Transform { LOGIT, FREEMAN_TUKEY }

    private SingleArmProportion() {
    }

    public static DerivedEffect derive(Transform transform, double events, double total) {
        FigureChecks.eventsWithinTotal("events", events, "total", total);
        return switch (transform) {
            case LOGIT -> logit(events, total);
            case FREEMAN_TUKEY -> freemanTukey(events, total);
        };
    }

    private static DerivedEffect logit(double x, double n) {
        boolean corrected = x == 0 || x == n;
        double events = corrected ? x + 0.5 : x;
        double nonEvents = corrected ? n - x + 0.5 : n - x;
        return new DerivedEffect(Math.log(events / nonEvents), Math.sqrt(1 / events + 1 / nonEvents),
                "logit proportion; var = 1/x + 1/(n - x)", List.of(), false,
                corrected ? List.of("events are 0 or all: 0.5 was added to events and non-events") : List.of());
    }

    private static DerivedEffect freemanTukey(double x, double n) {
        double value = 0.5 * (Math.asin(Math.sqrt(x / (n + 1))) + Math.asin(Math.sqrt((x + 1) / (n + 1))));
        return new DerivedEffect(value, Math.sqrt(1 / (4 * n + 2)),
                "Freeman-Tukey double arcsine (half the sum); var = 1/(4n + 2)", List.of(), false, List.of());
    }

    /** The logit of a proportion strictly between 0 and 1. */
    public static double logit(double proportion) {
        return Math.log(proportion / (1 - proportion));
    }

    /** The proportion a logit stands for. */
    public static double inverseLogit(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    /**
     * The proportion a Freeman-Tukey value stands for, by Miller's (1978) inversion with the sample size {@code n}
     * (for a pooled value, the harmonic mean of the studies' sizes), clamped to [0, 1] as metafor's transf.ipft.
     */
    public static double inverseFreemanTukey(double value, double n) {
        double t = 2 * value;
        double lower = 0.5 * (Math.asin(0) + Math.asin(Math.sqrt(1 / (n + 1))));
        double upper = 0.5 * (Math.asin(Math.sqrt(n / (n + 1))) + Math.asin(1));
        if (value < lower) {
            return 0;
        }
        if (value > upper) {
            return 1;
        }
        double s = Math.sin(t);
        double c = Math.cos(t);
        double inner = 1 - Math.pow(s + (s - 1 / s) / n, 2);
        double p = 0.5 * (1 - Math.signum(c) * Math.sqrt(inner));
        return Math.min(1, Math.max(0, p));
    }
}
