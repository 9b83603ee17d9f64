package org.livingevidence.analysis.analyses;

import java.util.List;
import java.util.Locale;
import org.livingevidence.analysis.plots.DerivationNote;
import org.livingevidence.analysis.plots.EstimatePlots;
import org.livingevidence.analysis.plots.ForestPlot;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;

/** A stateless analysis's report as a forest plot's input: the one place the report is mapped to a plot. */
final class AnalysisPlots {

    private AnalysisPlots() {
    }

    static String forest(AnalysisRequest request, AnalysisReport report) {
        EffectMeasure measure = report.measure();
        boolean random = request.model() == null || request.model() == org.livingevidence.contracts.events.AnalysisSettings.Model.RANDOM;
        double level = report.randomEffects().ciLevel();
        double z = org.livingevidence.metaanalysis.pooling.StandardNormal.quantile(0.5 + level / 2);
        java.util.function.DoubleUnaryOperator natural = PreviewAnalysis.naturalScale(measure, request.studies());
        List<ForestPlot.Study> studies = report.studies().stream().map(s -> new ForestPlot.Study(s.label(),
                natural.applyAsDouble(s.estimate()), natural.applyAsDouble(s.estimate() - z * s.standardError()),
                natural.applyAsDouble(s.estimate() + z * s.standardError()), random ? s.weightRandom() : s.weightFixed(),
                DerivationNote.of(s.derivation()))).toList();
        AnalysisReport.HeterogeneityReport h = report.heterogeneity();
        String heterogeneity = report.k() < 2 ? null : String.format(Locale.ROOT, "Heterogeneity: tau² = %.3g, I² = %s, Q = %.2f (df = %d%s)",
                h.tau2(), h.iSquared() == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", h.iSquared()), h.q(), h.df(),
                h.pValue() == null ? "" : ", p = " + (h.pValue() < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", h.pValue())));
        double nullValue = EstimatePlots.nullValue(measure.scale(), request.referenceProportion());
        AnalysisReport.IntervalReport pi = report.predictionInterval();
        return ForestPlot.svg(new ForestPlot.Input("Analysis of " + report.k() + (report.k() == 1 ? " study" : " studies"),
                measure == EffectMeasure.PLO ? "Proportion" : measure.name(), measure.scale() == EffectMeasure.Scale.LOG, nullValue,
                request.benefitDirection() != BenefitDirection.HIGHER, level, studies, pooled("Fixed effect", report.fixedEffect()),
                pooled("Random effects (" + report.heterogeneity().tau2Estimator() + ")", report.randomEffects()),
                pi == null ? null : new double[] {pi.naturalLower(), pi.naturalUpper()}, heterogeneity,
                random ? "box areas are random-effects weights" : "box areas are fixed-effect weights"));
    }

    private static ForestPlot.Pooled pooled(String label, AnalysisReport.Model m) {
        return new ForestPlot.Pooled(label, m.naturalEstimate(), m.naturalCiLower(), m.naturalCiUpper());
    }
}
