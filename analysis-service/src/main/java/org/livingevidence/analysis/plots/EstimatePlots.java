package org.livingevidence.analysis.plots;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.livingevidence.analysis.projections.QuestionProjection;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.PooledEstimateComputed;

/** A question's estimate as the plots' inputs: the one place the estimate event is mapped to a plot. */
public final class EstimatePlots {

    private EstimatePlots() {
    }

    /** The plot of {@code estimate}; {@code projection} gives the question's direction and the records' derivations. */
    public static String forest(PooledEstimateComputed estimate, QuestionProjection projection) {
        QuestionProjection.QuestionState question = projection.question();
        EffectMeasure measure = estimate.effectMeasure();
        EffectMeasure.Scale scale = estimate.scale();
        boolean random = question == null || question.settings().model() == AnalysisSettings.Model.RANDOM;
        Map<String, String> notes = new HashMap<>();
        projection.records().forEach(r -> {
            if (r.derivationNote() != null) {
                notes.put(r.recordId(), r.derivationNote());
            }
        });
        double level = estimate.randomEffects().ciLevel();
        double z = org.livingevidence.metaanalysis.pooling.StandardNormal.quantile(0.5 + level / 2);
        List<ForestPlot.Study> studies = estimate.studies().stream().map(s -> new ForestPlot.Study(s.studyLabel(),
                natural(scale, s.estimate()), natural(scale, s.estimate() - z * s.standardError()),
                natural(scale, s.estimate() + z * s.standardError()), random ? s.weightRandom() : s.weightFixed(),
                notes.get(s.recordId()))).toList();
        PooledEstimateComputed.PredictionInterval pi = estimate.predictionInterval();
        double nullValue = switch (scale) {
            case LOG -> 1;
            case IDENTITY -> 0;
            case LOGIT -> question == null || question.settings().referenceProportion() == null ? Double.NaN
                    : question.settings().referenceProportion();
            case FREEMAN_TUKEY -> Double.NaN;
        };
        String title = estimate.questionTitle() == null ? "Question " + estimate.questionId() : estimate.questionTitle();
        return ForestPlot.svg(new ForestPlot.Input(title + " (estimate " + estimate.estimateVersion() + ")",
                label(measure), scale == EffectMeasure.Scale.LOG, nullValue,
                question == null || question.benefitDirection() == BenefitDirection.LOWER, level, studies,
                pooled("Fixed effect", estimate.fixedEffect(), scale), pooled(randomLabel(estimate.randomEffects().method()),
                estimate.randomEffects(), scale), pi == null ? null : new double[] {pi.naturalLower(), pi.naturalUpper()},
                heterogeneity(estimate), random ? "box areas are random-effects weights" : "box areas are fixed-effect weights"));
    }

    /** The estimate's studies as a contour-enhanced funnel plot, with Egger's line from three studies with unequal SEs. */
    public static String funnel(PooledEstimateComputed estimate, QuestionProjection projection) {
        QuestionProjection.QuestionState question = projection.question();
        EffectMeasure.Scale scale = estimate.scale();
        boolean fixed = question != null && question.settings().model() == AnalysisSettings.Model.FIXED;
        PooledEstimateComputed.PooledResult chosen = fixed ? estimate.fixedEffect() : estimate.randomEffects();
        double nullValue = scale == EffectMeasure.Scale.LOGIT && question != null && question.settings().referenceProportion() != null
                ? Math.log(question.settings().referenceProportion() / (1 - question.settings().referenceProportion())) : 0;
        List<FunnelPlot.Study> studies = estimate.studies().stream()
                .map(s -> new FunnelPlot.Study(s.studyLabel(), s.estimate(), s.standardError())).toList();
        FunnelPlot.Egger egger = null;
        if (studies.size() >= org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis.EGGER_MIN_STUDIES) {
            try {
                var e = org.livingevidence.metaanalysis.bias.EggerTest.test(estimate.studies().stream()
                        .map(s -> new org.livingevidence.metaanalysis.pooling.StudyEffect(s.recordId(), s.estimate(),
                                s.standardError() * s.standardError())).toList());
                egger = new FunnelPlot.Egger(e.limitEstimate(), e.slope(), e.pValue());
            } catch (IllegalArgumentException equalStandardErrors) {
                // No regression to draw: every study has the same SE.
            }
        }
        String title = estimate.questionTitle() == null ? "Question " + estimate.questionId() : estimate.questionTitle();
        return FunnelPlot.svg(new FunnelPlot.Input(title + " (estimate " + estimate.estimateVersion() + ")", label(estimate.effectMeasure()),
                scale == EffectMeasure.Scale.LOG, nullValue, chosen.estimate(), fixed ? "fixed effect" : randomLabel(chosen.method()).toLowerCase(Locale.ROOT), studies, egger,
                v -> natural(scale, v)));
    }

    private static ForestPlot.Pooled pooled(String label, PooledEstimateComputed.PooledResult p, EffectMeasure.Scale scale) {
        if (p.natural() != null) {
            return new ForestPlot.Pooled(label, p.natural().estimate(), p.natural().ciLower(), p.natural().ciUpper());
        }
        return new ForestPlot.Pooled(label, natural(scale, p.estimate()), natural(scale, p.ciLower()), natural(scale, p.ciUpper()));
    }

    /** "Random effects (REML, HKSJ)" from the method's name. */
    static String randomLabel(String method) {
        String rest = method.startsWith("RANDOM_") ? method.substring("RANDOM_".length()) : method;
        return "Random effects (" + rest.replace("_", ", ") + ")";
    }

    private static String heterogeneity(PooledEstimateComputed e) {
        PooledEstimateComputed.Heterogeneity h = e.heterogeneity();
        if (h == null || e.k() < 2) {
            return null;
        }
        return String.format(Locale.ROOT, "Heterogeneity: tau² = %s, I² = %s, Q = %.2f (df = %d%s)", ForestPlot.value(h.tau2()),
                h.iSquared() == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", h.iSquared()), h.q(), h.df(),
                h.pValue() == null ? "" : ", p = " + (h.pValue() < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", h.pValue())));
    }

    private static String label(EffectMeasure measure) {
        return switch (measure) {
            case PLO -> "Proportion";
            case PFT -> "Proportion (double arcsine)";
            default -> measure.name();
        };
    }

    /** The natural scale of a study's bound; the double arcsine stays on its own scale (its back-transform needs n). */
    private static double natural(EffectMeasure.Scale scale, double value) {
        return switch (scale) {
            case LOG -> Math.exp(value);
            case IDENTITY, FREEMAN_TUKEY -> value;
            case LOGIT -> 1 / (1 + Math.exp(-value));
        };
    }
}
