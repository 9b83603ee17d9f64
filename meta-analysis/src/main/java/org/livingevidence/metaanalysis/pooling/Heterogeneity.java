package org.livingevidence.metaanalysis.pooling;

/**
 * Cochran's Q and the measures derived from it (metafor's definitions: I² = tau² / (tau² + s²) and
 * H² = (tau² + s²) / s², with s² the typical within-study variance). For k = 1 the p-value, I² and H² are
 * undefined and null.
 */
public record Heterogeneity(double q, int df, Double pValue, Double iSquared, Double hSquared, double tau2) {

    public double tau() {
        return Math.sqrt(tau2);
    }
}
