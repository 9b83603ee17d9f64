package org.livingevidence.metaanalysis.pooling;

import java.util.List;

/**
 * A random-effects analysis.
 *
 * @param predictionInterval      metafor's default: mu +- crit x sqrt(SE² + tau²), crit from z (Wald) or t(k-1) (HKSJ);
 *                                null for k = 1
 * @param rileyPredictionInterval Riley et al. (2011): t with k - 2 df on the Wald SE; null for k < 3
 * @param tau2ConfidenceInterval  Q-profile interval (Viechtbauer 2007); null for k = 1
 * @param notes                   fallbacks and conventions applied, for people
 */
public record RandomEffectsResult(int k, PooledEstimate pooled, Tau2Estimate tau2, Heterogeneity heterogeneity,
                                  Interval predictionInterval, Interval rileyPredictionInterval,
                                  Interval tau2ConfidenceInterval, List<String> notes) {

    public RandomEffectsResult {
        notes = List.copyOf(notes);
    }
}
