package org.livingevidence.metaanalysis.derivation;

import java.util.List;
import org.apache.commons.numbers.gamma.LogGamma;

/**
 * Means, SDs and sizes per arm: the raw mean difference ({@code MD}) or the standardized mean difference with
 * Hedges' exact small-sample correction ({@code SMD}, Hedges' g), as metafor's escalc (large-sample variance
 * 1/n1 + 1/n2 + g^2 / (2 (n1 + n2))).
 */
public final class MeansAndStandardDeviations {

    public enum Measure { MD, SMD }

    private MeansAndStandardDeviations() {
    }

    public static DerivedEffect derive(Measure measure, double meanIntervention, double sdIntervention, double nIntervention,
                                       double meanComparator, double sdComparator, double nComparator) {
        FigureChecks.finite("meanIntervention", meanIntervention);
        FigureChecks.finite("meanComparator", meanComparator);
        FigureChecks.positive("sdIntervention", sdIntervention);
        FigureChecks.positive("sdComparator", sdComparator);
        FigureChecks.count("nIntervention", nIntervention);
        FigureChecks.count("nComparator", nComparator);
        if (nIntervention < 2 || nComparator < 2) {
            throw new InvalidReportedFigures(nIntervention < 2 ? "nIntervention" : "nComparator", "each arm needs at least 2 participants for an SD");
        }
        double difference = meanIntervention - meanComparator;
        if (measure == Measure.MD) {
            double variance = sdIntervention * sdIntervention / nIntervention + sdComparator * sdComparator / nComparator;
            return new DerivedEffect(difference, Math.sqrt(variance), "mean difference; var = sd1^2/n1 + sd2^2/n2",
                    List.of(), false, List.of());
        }
        double df = nIntervention + nComparator - 2;
        double pooledSd = Math.sqrt(((nIntervention - 1) * sdIntervention * sdIntervention
                + (nComparator - 1) * sdComparator * sdComparator) / df);
        double g = hedgesCorrection(df) * difference / pooledSd;
        double variance = 1 / nIntervention + 1 / nComparator + g * g / (2 * (nIntervention + nComparator));
        return new DerivedEffect(g, Math.sqrt(variance),
                "standardized mean difference (Hedges' g, exact correction); var = 1/n1 + 1/n2 + g^2/(2(n1 + n2))",
                List.of("the outcome is roughly normal in each arm"), false, List.of());
    }

    /** J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2)), computed on the log scale so large samples do not overflow. */
    static double hedgesCorrection(double m) {
        return Math.exp(LogGamma.value(m / 2) - 0.5 * Math.log(m / 2) - LogGamma.value((m - 1) / 2));
    }
}
