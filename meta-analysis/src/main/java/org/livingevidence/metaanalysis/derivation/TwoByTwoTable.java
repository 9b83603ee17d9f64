package org.livingevidence.metaanalysis.derivation;

import java.util.ArrayList;
import java.util.List;

/**
 * Events and totals per arm: log risk ratio, log odds ratio or risk difference, as metafor's escalc. A table with a
 * zero cell gets 0.5 added to every cell (metafor's {@code add = 1/2, to = "only0"}); other tables are left as
 * they are.
 */
public final class TwoByTwoTable {

    public enum Measure { RR, OR, RD }

    private TwoByTwoTable() {
    }

    public static DerivedEffect derive(Measure measure, double eventsIntervention, double totalIntervention,
                                       double eventsComparator, double totalComparator) {
        FigureChecks.eventsWithinTotal("eventsIntervention", eventsIntervention, "totalIntervention", totalIntervention);
        FigureChecks.eventsWithinTotal("eventsComparator", eventsComparator, "totalComparator", totalComparator);
        double a = eventsIntervention;
        double b = totalIntervention - eventsIntervention;
        double c = eventsComparator;
        double d = totalComparator - eventsComparator;
        List<String> warnings = new ArrayList<>();
        boolean zeroCell = a == 0 || b == 0 || c == 0 || d == 0;
        if (a == 0 && c == 0 && measure != Measure.RD || b == 0 && d == 0 && measure != Measure.RD) {
            throw new InvalidReportedFigures(a == 0 ? "eventsIntervention" : "eventsComparator",
                    "with no events (or only events) in both arms a " + measure + " is undefined; the study adds nothing to a ratio");
        }
        if (zeroCell) {
            a += 0.5;
            b += 0.5;
            c += 0.5;
            d += 0.5;
            warnings.add("the table has a zero cell: 0.5 was added to every cell");
        }
        double n1 = a + b;
        double n2 = c + d;
        return switch (measure) {
            case RR -> new DerivedEffect(Math.log((a / n1) / (c / n2)), Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2),
                    "log risk ratio from events/totals; var = 1/a - 1/n1 + 1/c - 1/n2", List.of(), false, warnings);
            case OR -> new DerivedEffect(Math.log(a * d / (b * c)), Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d),
                    "log odds ratio from events/totals; var = 1/a + 1/b + 1/c + 1/d", List.of(), false, warnings);
            case RD -> riskDifference(a / n1, n1, c / n2, n2, warnings);
        };
    }

    private static DerivedEffect riskDifference(double p1, double n1, double p2, double n2, List<String> warnings) {
        double variance = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
        if (!(variance > 0)) {
            throw new InvalidReportedFigures("eventsIntervention", "both arms have risk 0 or 1: the risk difference has no variance");
        }
        return new DerivedEffect(p1 - p2, Math.sqrt(variance),
                "risk difference from events/totals; var = p1(1-p1)/n1 + p2(1-p2)/n2", List.of(), false, warnings);
    }
}
