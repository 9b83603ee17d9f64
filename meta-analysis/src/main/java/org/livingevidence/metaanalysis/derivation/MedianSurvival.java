package org.livingevidence.metaanalysis.derivation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hazard ratio from median survival per arm. Under exponential survival the hazard is ln 2 / median, so
 * HR (intervention vs comparator) = median(comparator) / median(intervention). The variance of ln HR comes from a
 * reported p-value or, failing that, from event counts (1/d1 + 1/d2). Always approximate.
 */
public final class MedianSurvival {

    static final String EXPONENTIAL = "survival is exponential in each arm (constant hazard), so HR = median ratio";

    private MedianSurvival() {
    }

    /**
     * @param p                 may be null when events are given
     * @param eventsIntervention may be null when p is given
     */
    public static DerivedEffect derive(double medianIntervention, double medianComparator, ReportedPValue p,
                                       Double eventsIntervention, Double eventsComparator) {
        FigureChecks.positive("medianIntervention", medianIntervention);
        FigureChecks.positive("medianComparator", medianComparator);
        double logHr = Math.log(medianComparator / medianIntervention);
        String method = String.format(Locale.ROOT, "log HR = ln(median comparator %s / median intervention %s)",
                plain(medianComparator), plain(medianIntervention));
        return HazardRatioVariance.derive(logHr, "medianIntervention", p, eventsIntervention, eventsComparator,
                method, List.of(EXPONENTIAL));
    }

    static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Variance of an approximate log HR: from p, else from events. */
    static final class HazardRatioVariance {

        private HazardRatioVariance() {
        }

        static DerivedEffect derive(double logHr, String estimateField, ReportedPValue p, Double eventsIntervention,
                                    Double eventsComparator, String method, List<String> assumptions) {
            if (p != null) {
                return StandardErrorFromP.derive(logHr, estimateField, p, method, assumptions, true);
            }
            if (eventsIntervention == null || eventsComparator == null) {
                throw new InvalidReportedFigures(eventsIntervention == null ? "eventsIntervention" : "eventsComparator",
                        "give a p-value, or the number of events in both arms, to derive the standard error");
            }
            FigureChecks.count("eventsIntervention", eventsIntervention);
            FigureChecks.count("eventsComparator", eventsComparator);
            if (eventsIntervention < 1 || eventsComparator < 1) {
                throw new InvalidReportedFigures(eventsIntervention < 1 ? "eventsIntervention" : "eventsComparator",
                        "at least one event per arm is needed for var(ln HR) = 1/d1 + 1/d2");
            }
            double se = Math.sqrt(1 / eventsIntervention + 1 / eventsComparator);
            List<String> all = new ArrayList<>(assumptions);
            all.add("var(ln HR) = 1/d1 + 1/d2 (events per arm, Parmar 1998)");
            return new DerivedEffect(logHr, se, method + String.format(Locale.ROOT, "; SE = sqrt(1/%s + 1/%s) from events",
                    plain(eventsIntervention), plain(eventsComparator)), all, true, List.of());
        }
    }
}
