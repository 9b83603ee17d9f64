package org.livingevidence.metaanalysis.robustness;

/**
 * A relative effect in absolute terms, as a GRADE summary of findings shows it: the risk per 1,000 in the comparator
 * group (the baseline risk over the question's time frame) and in the intervention group, and the difference per
 * 1,000 with its interval. The intervention risk is the baseline risk moved by the effect: risk ratio p0 x RR; odds
 * ratio OR p0 / (1 - p0 + OR p0); hazard ratio 1 - (1 - p0)^HR (proportional hazards over the time frame); risk
 * difference p0 + RD. Each is increasing in the effect, so the interval's ends map to the difference's.
 */
public final class AbsoluteEffects {

    /** The relative measures an absolute effect is worked out from. */
    public enum Measure { RR, OR, HR, RD }

    /** Risks and differences per 1,000. */
    public record AbsoluteEffect(double comparatorPer1000, double interventionPer1000, double differencePer1000,
                                 double differenceLowerPer1000, double differenceUpperPer1000) {
    }

    private AbsoluteEffects() {
    }

    /**
     * @param baselineRisk the comparator group's risk over the time frame, strictly between 0 and 1
     * @param estimate     and {@code lower}, {@code upper}: the effect and its interval on the natural scale
     */
    public static AbsoluteEffect of(Measure measure, double baselineRisk, double estimate, double lower, double upper) {
        if (!(baselineRisk > 0 && baselineRisk < 1)) {
            throw new IllegalArgumentException("the baseline risk must lie strictly between 0 and 1, was " + baselineRisk);
        }
        double p0 = baselineRisk;
        return new AbsoluteEffect(1000 * p0, 1000 * risk(measure, p0, estimate), 1000 * (risk(measure, p0, estimate) - p0),
                1000 * (risk(measure, p0, lower) - p0), 1000 * (risk(measure, p0, upper) - p0));
    }

    /**
     * The denominator a summary states the risks per: 1,000, or for a rare outcome 10,000 or 100,000 (as GRADE
     * summaries of findings do), the first at which the baseline risk is at least 10, so that the figures are not all
     * 0 or 1.
     */
    public static int statedPer(double baselineRisk) {
        return baselineRisk * 1_000 >= 10 ? 1_000 : baselineRisk * 10_000 >= 10 ? 10_000 : 100_000;
    }

    /** The intervention group's risk for baseline risk {@code p0} and an effect on the natural scale. */
    public static double risk(Measure measure, double p0, double effect) {
        double p = switch (measure) {
            case RR -> p0 * effect;
            case OR -> effect * p0 / (1 - p0 + effect * p0);
            case HR -> 1 - Math.pow(1 - p0, effect);
            case RD -> p0 + effect;
        };
        return Math.min(1, Math.max(0, p));
    }
}
