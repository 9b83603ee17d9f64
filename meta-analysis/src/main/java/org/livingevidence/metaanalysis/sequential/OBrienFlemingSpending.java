package org.livingevidence.metaanalysis.sequential;

import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * Lan-DeMets spending with the O'Brien-Fleming-type function, as gsDesign and rpact define it: an error budget
 * {@code total} on one side is spent as 2 - 2 Phi(z(1 - total/2) / sqrt(t)) by information fraction t.
 * Two-sided symmetric efficacy boundaries spend alpha/2 on each side that way (Lan and DeMets' alternative,
 * 2 - 2 Phi(z(1 - alpha/2) / sqrt(t)) for the two sides together, spends more early on); futility boundaries
 * spend beta (rpact's "bsOF").
 */
public final class OBrienFlemingSpending {

    private OBrienFlemingSpending() {
    }

    /** Two-sided alpha spent by information fraction {@code t}: 4 - 4 Phi(z(1 - alpha/4) / sqrt(t)); all of it at t >= 1. */
    public static double twoSidedAlpha(double t, double alpha) {
        return 2 * oneSided(t, alpha / 2);
    }

    /** A one-sided budget (alpha/2 of one side, or beta) spent by information fraction {@code t}; all of it at t >= 1. */
    public static double oneSided(double t, double total) {
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return total;
        }
        // The upper tail as Phi(-x): 1 - Phi(x) keeps only absolute precision 1e-16, all there is at early looks.
        return 2 * StandardNormal.cdf(-StandardNormal.quantile(1 - total / 2) / Math.sqrt(t));
    }
}
