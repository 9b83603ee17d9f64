package org.livingevidence.metaanalysis.robustness;

/**
 * The size of a two-arm study, 1:1 allocation, whose effect would have a given standard error: the usual large-sample
 * variances solved for the sample size (for a hazard ratio, Schoenfeld's var(log HR) = 4 / events).
 */
public final class NewStudySize {

    /** The size: participants in both arms together and the events among them (null where the measure has none). */
    public record Size(Double participants, Double events) {
    }

    private NewStudySize() {
    }

    /** A hazard ratio's standard error of the log, as events: var(log HR) = 4 / D with equal arms. */
    public static Size hazardRatio(double standardError) {
        return new Size(null, 4 / (standardError * standardError));
    }

    /**
     * A risk ratio, odds ratio or risk difference study with risk {@code comparatorRisk} in the comparator arm and
     * {@code interventionRisk} in the other, whose effect has this standard error.
     */
    public static Size binary(Measure measure, double comparatorRisk, double interventionRisk, double standardError) {
        double p0 = comparatorRisk;
        double p1 = interventionRisk;
        double perArmVariance = switch (measure) {
            case RR -> (1 - p1) / p1 + (1 - p0) / p0;
            case OR -> 1 / (p1 * (1 - p1)) + 1 / (p0 * (1 - p0));
            case RD -> p1 * (1 - p1) + p0 * (1 - p0);
        };
        double perArm = perArmVariance / (standardError * standardError);
        return new Size(2 * perArm, perArm * (p0 + p1));
    }

    /** A standardised mean difference near 0: var(g) is about 4 / N with equal arms. */
    public static Size standardisedMeanDifference(double standardError) {
        return new Size(4 / (standardError * standardError), null);
    }

    /** The binary measures a study size is worked out for. */
    public enum Measure { RR, OR, RD }
}
