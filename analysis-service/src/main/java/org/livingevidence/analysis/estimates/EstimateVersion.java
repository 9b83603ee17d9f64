package org.livingevidence.analysis.estimates;

import java.time.Instant;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.Trigger;

/**
 * One estimate version in a question's history: the concluding model's pooled estimate on the natural scale, the
 * conclusion, and the last change it followed ({@code trigger}); the whole event, with every change, is at
 * {@code /estimates/{estimateVersion}}.
 *
 * @param conclusion null when the question draws none (a proportion without a reference)
 */
public record EstimateVersion(long estimateVersion, Instant computedAt, int k, double estimate, double ciLower, double ciUpper,
                              double ciLevel, Conclusion conclusion, Trigger trigger) {

    static EstimateVersion of(PooledEstimateComputed e) {
        Conclusion c = e.conclusion();
        boolean fixed = c != null && c.model() == org.livingevidence.contracts.events.AnalysisSettings.Model.FIXED;
        PooledEstimateComputed.PooledResult chosen = fixed ? e.fixedEffect() : e.randomEffects();
        PooledEstimateComputed.NaturalScale natural = chosen.natural();
        return new EstimateVersion(e.estimateVersion(), e.computedAt(), e.k(), natural == null ? chosen.estimate() : natural.estimate(),
                natural == null ? chosen.ciLower() : natural.ciLower(), natural == null ? chosen.ciUpper() : natural.ciUpper(),
                chosen.ciLevel(), c, e.trigger());
    }
}
