package org.livingevidence.metaanalysis.derivation;

import java.util.List;
import java.util.Locale;

/**
 * A hazard ratio from the survival proportion of each arm at one time point. Under proportional hazards
 * S1(t) = S2(t)^HR, so HR = ln S1 / ln S2. The variance comes from a p-value or event counts. Always approximate.
 */
public final class SurvivalAtTimepoint {

    private SurvivalAtTimepoint() {
    }

    public static DerivedEffect derive(double survivalIntervention, double survivalComparator, ReportedPValue p,
                                       Double eventsIntervention, Double eventsComparator) {
        FigureChecks.proportion("survivalIntervention", survivalIntervention);
        FigureChecks.proportion("survivalComparator", survivalComparator);
        double logHr = Math.log(Math.log(survivalIntervention) / Math.log(survivalComparator));
        String method = String.format(Locale.ROOT, "log HR = ln(ln %s / ln %s), survival proportions at one time point",
                survivalIntervention, survivalComparator);
        return MedianSurvival.HazardRatioVariance.derive(logHr, "survivalIntervention", p, eventsIntervention,
                eventsComparator, method, List.of("hazards are proportional, so S(intervention) = S(comparator)^HR"));
    }
}
