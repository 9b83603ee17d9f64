package org.livingevidence.metaanalysis.pooling;

import org.apache.commons.statistics.distribution.NormalDistribution;

/** The standard normal distribution (Apache Commons Statistics). */
public final class StandardNormal {

    private static final NormalDistribution N = NormalDistribution.of(0, 1);

    private StandardNormal() {
    }

    public static double quantile(double p) {
        return N.inverseCumulativeProbability(p);
    }

    public static double cdf(double z) {
        return N.cumulativeProbability(z);
    }

    public static double density(double z) {
        return N.density(z);
    }

    /** Two-sided p-value of a z statistic. */
    public static double twoSidedP(double z) {
        return 2 * N.survivalProbability(Math.abs(z));
    }
}
