package org.livingevidence.metaanalysis.pooling;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * A pooled estimate and the standard error its test and interval use, without the interval itself: what a search over
 * many refits of one model needs. The interval's critical value depends only on the degrees of freedom, which rarely
 * change within a search, so a search computes it once per degrees of freedom ({@link #critical}) rather than per refit.
 *
 * @param standardError    the Wald SE, or the HKSJ one
 * @param degreesOfFreedom of the t distribution (HKSJ), or 0 for the normal (Wald)
 */
public record SignificanceTest(double estimate, double standardError, int degreesOfFreedom) {

    public double statistic() {
        return estimate / standardError;
    }

    public double pValue() {
        double z = Math.abs(statistic());
        return degreesOfFreedom == 0 ? StandardNormal.twoSidedP(z)
                : 2 * TDistribution.of(degreesOfFreedom).survivalProbability(z);
    }

    /** The two-sided critical value of a (1 - alpha) interval for these degrees of freedom (0: the normal). */
    public static double critical(int degreesOfFreedom, double alpha) {
        return degreesOfFreedom == 0 ? StandardNormal.quantile(1 - alpha / 2)
                : TDistribution.of(degreesOfFreedom).inverseSurvivalProbability(alpha / 2);
    }
}
