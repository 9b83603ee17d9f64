package org.livingevidence.metaanalysis.pooling;

import java.util.List;

/**
 * A random-effects analysis.
 *
 * @param predictionInterval      metafor's default: mu +- crit x sqrt(SE² + tau²), crit from z (Wald) or t(k-1) (HKSJ);
 *                                null for k = 1
 * @param rileyPredictionInterval Riley et al. (2011): t with k - 2 df on the Wald SE; null for k < 3
 * @param tau2ConfidenceInterval  Q-profile interval (Viechtbauer 2007); null for k = 1
 * @param weightsPercent          each study's weight, 1 / (v + tau²), in percent, in input order
 * @param notes                   fallbacks and conventions applied, for people
 */
public record RandomEffectsResult(int k, PooledEstimate pooled, Tau2Estimate tau2, Heterogeneity heterogeneity,
                                  Interval predictionInterval, Interval rileyPredictionInterval,
                                  Interval tau2ConfidenceInterval, List<Double> weightsPercent, List<String> notes) {

    public RandomEffectsResult {
        weightsPercent = List.copyOf(weightsPercent);
        notes = List.copyOf(notes);
    }
}
