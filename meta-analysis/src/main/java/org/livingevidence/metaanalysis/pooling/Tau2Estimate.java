package org.livingevidence.metaanalysis.pooling;

/**
 * An estimate of tau².
 *
 * @param method     the estimator that produced {@code tau2}: the one asked for, or DL after a fallback
 * @param converged  false when an iterative estimator failed and the estimate fell back to DL
 * @param iterations iterations used (0 for closed forms)
 * @param note       what happened, for people (null when nothing remarkable did)
 */
public record Tau2Estimate(double tau2, Tau2Method requested, Tau2Method method, boolean converged, int iterations,
                           String note) {
}
