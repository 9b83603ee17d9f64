package org.livingevidence.metaanalysis.conclusions;

import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;

/**
 * What a pooled estimate says under the question's model and alpha. Estimate and interval are on the measure's
 * natural scale (HR, not log HR).
 *
 * @param sequential the trial sequential analysis status, or null when the question plans none
 * @param certainty  the automatic certainty rating, or null when not rated
 */
public record Conclusion(Direction direction, boolean significant, boolean randomEffects, double alpha, int k,
                         double estimate, double ciLower, double ciUpper, double pValue, String statement,
                         MidStatus mid, TrialSequentialAnalysis.Status sequential, Certainty certainty) {

    public Conclusion withSequential(TrialSequentialAnalysis.Status status) {
        return new Conclusion(direction, significant, randomEffects, alpha, k, estimate, ciLower, ciUpper, pValue,
                statement, mid, status, certainty);
    }

    public Conclusion withCertainty(Certainty rating) {
        return new Conclusion(direction, significant, randomEffects, alpha, k, estimate, ciLower, ciUpper, pValue,
                statement, mid, sequential, rating);
    }
}
