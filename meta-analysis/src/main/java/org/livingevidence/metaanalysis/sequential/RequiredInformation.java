package org.livingevidence.metaanalysis.sequential;

import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * The required information size of a meta-analysis, in statistical information (the sum of inverse variances on
 * the analysis scale): (z(1 - alpha/2) + z(power))² / delta², inflated by 1 / (1 - D²) for heterogeneity
 * (Wetterslev et al. 2009). For hazard ratios with 1:1 allocation the information of a study is about a quarter
 * of its events (Schoenfeld), so the required number of events is four times the required information.
 */
public final class RequiredInformation {

    private RequiredInformation() {
    }

    public static double information(double anticipatedEffect, double alpha, double power, double diversity) {
        double z = StandardNormal.quantile(1 - alpha / 2) + StandardNormal.quantile(power);
        return z * z / (anticipatedEffect * anticipatedEffect) / (1 - diversity);
    }

    /** Events needed for a hazard ratio outcome with 1:1 allocation. */
    public static double hazardRatioEvents(double requiredInformation) {
        return 4 * requiredInformation;
    }

    /** Diversity D² = 1 - v(fixed) / v(random): the share of the random-effects variance due to heterogeneity. */
    public static double diversity(double fixedEffectSe, double randomEffectsSe) {
        if (!(randomEffectsSe > 0)) {
            return 0;
        }
        return Math.max(0, 1 - (fixedEffectSe * fixedEffectSe) / (randomEffectsSe * randomEffectsSe));
    }
}
