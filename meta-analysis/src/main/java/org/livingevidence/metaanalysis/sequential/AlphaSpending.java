package org.livingevidence.metaanalysis.sequential;

import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * Lan-DeMets alpha spending with the O'Brien-Fleming-type function for two-sided symmetric boundaries: alpha/2 is
 * spent on each side, alpha/2 (t) = 2 - 2 Phi(z(1 - alpha/4) / sqrt(t)), as gsDesign and rpact do. (Lan and DeMets'
 * alternative, 2 - 2 Phi(z(1 - alpha/2) / sqrt(t)) for the two sides together, spends more early on.)
 */
public final class AlphaSpending {

    private AlphaSpending() {
    }

    /** Two-sided alpha spent by information fraction {@code t}: 4 - 4 Phi(z(1 - alpha/4) / sqrt(t)); all of it at t >= 1. */
    public static double obrienFleming(double t, double alpha) {
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return alpha;
        }
        return 4 * (1 - StandardNormal.cdf(StandardNormal.quantile(1 - alpha / 4) / Math.sqrt(t)));
    }
}
