package org.livingevidence.metaanalysis.pooling;

import java.util.List;
import org.livingevidence.metaanalysis.derivation.DerivedEffect;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;

/**
 * Mantel-Haenszel fixed-effect pooling of 2x2 tables, as metafor's {@code rma.mh}: the odds ratio with the
 * Robins-Breslow-Greenland variance, the risk ratio with the Greenland-Robins variance, the risk difference with
 * the Sato-Greenland-Robins variance. The pooled estimate uses the raw counts (no zero-cell correction); the
 * heterogeneity Q uses each table's own effect, corrected as escalc corrects it.
 */
public final class MantelHaenszel {

    /** One table: events and totals per arm. */
    public record Table(String id, double eventsIntervention, double totalIntervention, double eventsComparator,
                        double totalComparator) {
    }

    /** Estimate on the analysis scale (log for OR and RR) with Wald CI, and Cochran's Q. */
    public record Result(TwoByTwoTable.Measure measure, PooledEstimate pooled, double q, int df, Double qPValue) {
    }

    private MantelHaenszel() {
    }

    public static Result pool(List<Table> tables, TwoByTwoTable.Measure measure, double level) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("at least one table is needed to pool");
        }
        double estimate;
        double variance;
        switch (measure) {
            case OR -> {
                double r = 0;
                double s = 0;
                double pr = 0;
                double psqr = 0;
                double qs = 0;
                for (Table t : tables) {
                    double a = t.eventsIntervention();
                    double b = t.totalIntervention() - a;
                    double c = t.eventsComparator();
                    double d = t.totalComparator() - c;
                    double n = a + b + c + d;
                    double ri = a * d / n;
                    double si = b * c / n;
                    double pi = (a + d) / n;
                    double qi = (b + c) / n;
                    r += ri;
                    s += si;
                    pr += pi * ri;
                    psqr += pi * si + qi * ri;
                    qs += qi * si;
                }
                requirePositive(r, s);
                estimate = Math.log(r / s);
                variance = pr / (2 * r * r) + psqr / (2 * r * s) + qs / (2 * s * s);
            }
            case RR -> {
                double r = 0;
                double s = 0;
                double p = 0;
                for (Table t : tables) {
                    double a = t.eventsIntervention();
                    double c = t.eventsComparator();
                    double n1 = t.totalIntervention();
                    double n2 = t.totalComparator();
                    double n = n1 + n2;
                    r += a * n2 / n;
                    s += c * n1 / n;
                    p += (n1 * n2 * (a + c) - a * c * n) / (n * n);
                }
                requirePositive(r, s);
                estimate = Math.log(r / s);
                variance = p / (r * s);
            }
            default -> {
                double sumW = 0;
                double sumDiff = 0;
                double sumP = 0;
                double sumQ = 0;
                for (Table t : tables) {
                    double a = t.eventsIntervention();
                    double c = t.eventsComparator();
                    double n1 = t.totalIntervention();
                    double n2 = t.totalComparator();
                    double n = n1 + n2;
                    sumW += n1 * n2 / n;
                    sumDiff += (a * n2 - c * n1) / n;
                    sumP += (n1 * n1 * c - n2 * n2 * a + n1 * n2 * (n2 - n1) / 2) / (n * n);
                    sumQ += (a * (n2 - c) + c * (n1 - a)) / (2 * n);
                }
                estimate = sumDiff / sumW;
                variance = (estimate * sumP + sumQ) / (sumW * sumW);
            }
        }
        PooledEstimate pooled = PooledEstimate.wald("MANTEL_HAENSZEL_" + measure, estimate, Math.sqrt(variance), level);
        double q = 0;
        for (Table t : tables) {
            DerivedEffect effect = TwoByTwoTable.derive(measure, t.eventsIntervention(), t.totalIntervention(),
                    t.eventsComparator(), t.totalComparator());
            double d = effect.estimate() - estimate;
            q += d * d / effect.variance();
        }
        int df = tables.size() - 1;
        Double p = df == 0 ? null : org.apache.commons.statistics.distribution.ChiSquaredDistribution.of(df).survivalProbability(q);
        return new Result(measure, pooled, q, df, p);
    }

    private static void requirePositive(double r, double s) {
        if (!(r > 0 && s > 0)) {
            throw new IllegalArgumentException("the Mantel-Haenszel ratio is undefined: no events (or no non-events) in one arm of every table");
        }
    }
}
