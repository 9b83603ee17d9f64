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
        double nullValue = nullValue(scale, referenceProportion(question));
        String title = estimate.questionTitle() == null ? "Question " + estimate.questionId() : estimate.questionTitle();
        return ForestPlot.svg(new ForestPlot.Input(title + " (estimate " + estimate.estimateVersion() + ")",
                label(measure), scale == EffectMeasure.Scale.LOG, nullValue,
                question == null || question.benefitDirection() == BenefitDirection.LOWER, level, studies,
                pooled("Fixed effect", estimate.fixedEffect(), scale), pooled(randomLabel(estimate.randomEffects().method()),
                estimate.randomEffects(), scale), pi == null ? null : new double[] {pi.naturalLower(), pi.naturalUpper()},
                heterogeneity(estimate), random ? "box areas are random-effects weights" : "box areas are fixed-effect weights"));
    }

    /** Beyond this many studies a cumulative plot (a refit per study) is refused: its rows would not be read anyway. */
    public static final int MAX_CUMULATIVE_STUDIES = 1_000;

    /**
     * The estimate's studies as a cumulative forest plot: the concluding model refitted after each study in publication
     * order (the year the projection holds; studies without one last, in the order they arrived), a row per step.
     */
    public static String cumulative(PooledEstimateComputed estimate, QuestionProjection projection) {
        QuestionProjection.QuestionState question = projection.question();
        EffectMeasure.Scale scale = estimate.scale();
        boolean fixed = question != null && question.settings().model() == AnalysisSettings.Model.FIXED;
        Map<String, Integer> years = new HashMap<>();
        projection.records().forEach(r -> {
            if (r.publicationYear() != null) {
                years.put(r.recordId(), r.publicationYear());
            }
        });
        List<PooledEstimateComputed.StudyContribution> ordered = estimate.studies().stream()
                .sorted(java.util.Comparator.comparing(s -> years.getOrDefault(s.recordId(), Integer.MAX_VALUE))).toList();
        double level = estimate.randomEffects().ciLevel();
        var settings = question == null ? AnalysisSettings.defaults() : question.settings();
        var refit = new org.livingevidence.metaanalysis.sensitivity.Refit(
                org.livingevidence.analysis.pooling.EngineMapping.tau2Method(settings.tau2Estimator()),
                org.livingevidence.analysis.pooling.EngineMapping.ciMethod(settings.ciMethod()), level);
        List<org.livingevidence.metaanalysis.pooling.StudyEffect> prefix = new java.util.ArrayList<>();
        List<ForestPlot.Study> rows = new java.util.ArrayList<>();
        for (PooledEstimateComputed.StudyContribution s : ordered) {
            prefix.add(new org.livingevidence.metaanalysis.pooling.StudyEffect(s.recordId(), s.estimate(), s.standardError() * s.standardError()));
            var pooled = fixed ? org.livingevidence.metaanalysis.pooling.FixedEffect.pool(prefix, level).pooled() : refit.fit(prefix).pooled();
            Integer year = years.get(s.recordId());
            rows.add(new ForestPlot.Study("+ " + s.studyLabel() + (year == null ? "" : " (" + year + ")"), natural(scale, pooled.estimate()),
                    natural(scale, pooled.ciLower()), natural(scale, pooled.ciUpper()), 0, null));
        }
        String title = estimate.questionTitle() == null ? "Question " + estimate.questionId() : estimate.questionTitle();
        return ForestPlot.svg(new ForestPlot.Input(title + ": cumulative, in publication order (estimate " + estimate.estimateVersion() + ")",
                label(estimate.effectMeasure()), scale == EffectMeasure.Scale.LOG, nullValue(scale, referenceProportion(question)),
                question == null || question.benefitDirection() == BenefitDirection.LOWER, level, rows, null, null, null, null, null));
    }

    /**
     * A question's estimate versions (oldest first) as a history plot: the concluding model's estimate and interval at
     * each, with every version whose conclusion shifted (significance, direction, the MID status) labelled.
     */
    public static String history(List<PooledEstimateComputed> oldestFirst, QuestionProjection projection) {
        QuestionProjection.QuestionState question = projection.question();
        List<HistoryPlot.Point> points = new java.util.ArrayList<>();
        org.livingevidence.contracts.events.Conclusion previous = null;
        for (PooledEstimateComputed e : oldestFirst) {
            org.livingevidence.contracts.events.Conclusion c = e.conclusion();
            boolean fixed = c != null && c.model() == AnalysisSettings.Model.FIXED;
            PooledEstimateComputed.PooledResult chosen = fixed ? e.fixedEffect() : e.randomEffects();
            PooledEstimateComputed.NaturalScale n = chosen.natural();
            EffectMeasure.Scale scale = e.scale();
            points.add(new HistoryPlot.Point(e.estimateVersion(), n == null ? natural(scale, chosen.estimate()) : n.estimate(),
                    n == null ? natural(scale, chosen.ciLower()) : n.ciLower(), n == null ? natural(scale, chosen.ciUpper()) : n.ciUpper(),
                    shift(previous, c)));
            previous = c == null ? previous : c;
        }
        PooledEstimateComputed last = oldestFirst.isEmpty() ? null : oldestFirst.get(oldestFirst.size() - 1);
        String title = last == null || last.questionTitle() == null ? "Question " + projection.questionId() : last.questionTitle();
        EffectMeasure.Scale scale = last == null ? EffectMeasure.Scale.LOG : last.scale();
        return HistoryPlot.svg(new HistoryPlot.Input(title + ": estimate history", last == null ? "" : label(last.effectMeasure()),
                scale == EffectMeasure.Scale.LOG, nullValue(scale, referenceProportion(question)), last == null ? 0.95 : last.randomEffects().ciLevel(), points));
    }

    /** What changed in the conclusion from {@code before} to {@code after}, in words; null for nothing. */
    static String shift(org.livingevidence.contracts.events.Conclusion before, org.livingevidence.contracts.events.Conclusion after) {
        if (before == null || after == null) {
            return null;
        }
        List<String> changes = new java.util.ArrayList<>();
        if (before.significant() != after.significant()) {
            changes.add(after.significant() ? "became significant" : "no longer significant");
        }
        if (before.direction() != after.direction()) {
            changes.add("direction " + after.direction().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        if (before.mid() != null && after.mid() != null && before.mid() != after.mid()
                && before.mid() != org.livingevidence.contracts.events.Conclusion.MidStatus.NOT_SET) {
            changes.add("MID " + after.mid().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        return changes.isEmpty() ? null : String.join(", ", changes);
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

    /**
     * Where no effect lies on the natural scale (a proportion's reference, when it has one); NaN where a plot draws no
     * null line.
     */
    public static double nullValue(EffectMeasure.Scale scale, Double referenceProportion) {
        return switch (scale) {
            case LOG -> 1;
            case IDENTITY -> 0;
            case LOGIT -> referenceProportion == null ? Double.NaN : referenceProportion;
            case FREEMAN_TUKEY -> Double.NaN;
        };
    }

    private static Double referenceProportion(QuestionProjection.QuestionState question) {
        return question == null ? null : question.settings().referenceProportion();
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
