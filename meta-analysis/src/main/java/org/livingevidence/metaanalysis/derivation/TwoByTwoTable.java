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
        double[] effect = compute(measure, a, b, c, d);
        return switch (measure) {
            case RR -> new DerivedEffect(effect[0], Math.sqrt(effect[1]),
                    "log risk ratio from events/totals; var = 1/a - 1/n1 + 1/c - 1/n2", List.of(), false, warnings);
            case OR -> new DerivedEffect(effect[0], Math.sqrt(effect[1]),
                    "log odds ratio from events/totals; var = 1/a + 1/b + 1/c + 1/d", List.of(), false, warnings);
            case RD -> {
                if (!(effect[1] > 0)) {
                    throw new InvalidReportedFigures("eventsIntervention", "both arms have risk 0 or 1: the risk difference has no variance");
                }
                yield new DerivedEffect(effect[0], Math.sqrt(effect[1]),
                        "risk difference from events/totals; var = p1(1-p1)/n1 + p2(1-p2)/n2", List.of(), false, warnings);
            }
        };
    }

    /**
     * The effect and its variance as {@link #derive} gives them (the variance as the square of its standard error),
     * or null where derive refuses the table; for code that derives many tables, without derive's account.
     */
    public static double[] effect(Measure measure, double eventsIntervention, double totalIntervention, double eventsComparator,
                                  double totalComparator) {
        double a = eventsIntervention;
        double b = totalIntervention - eventsIntervention;
        double c = eventsComparator;
        double d = totalComparator - eventsComparator;
        if (measure != Measure.RD && (a == 0 && c == 0 || b == 0 && d == 0)) {
            return null;
        }
        if (a == 0 || b == 0 || c == 0 || d == 0) {
            a += 0.5;
            b += 0.5;
            c += 0.5;
            d += 0.5;
        }
        double[] effect = compute(measure, a, b, c, d);
        if (!(effect[1] > 0)) {
            return null;
        }
        double se = Math.sqrt(effect[1]);
        effect[1] = se * se;
        return effect;
    }

    /** The effect and its variance from the (corrected) cells. */
    private static double[] compute(Measure measure, double a, double b, double c, double d) {
        double n1 = a + b;
        double n2 = c + d;
        return switch (measure) {
            case RR -> new double[] {Math.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2};
            case OR -> new double[] {Math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d};
            case RD -> {
                double p1 = a / n1;
                double p2 = c / n2;
                yield new double[] {p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2};
            }
        };
    }
}
