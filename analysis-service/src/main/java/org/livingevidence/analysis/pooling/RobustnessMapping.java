package org.livingevidence.analysis.pooling;

import java.util.List;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.metaanalysis.conclusions.Conclusion;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.robustness.AbsoluteEffects;
import org.livingevidence.metaanalysis.robustness.FragilityIndex;
import org.livingevidence.metaanalysis.robustness.NewStudyForMid;
import org.livingevidence.metaanalysis.robustness.NewStudySize;
import org.livingevidence.metaanalysis.robustness.NewStudyThreshold;
import org.livingevidence.metaanalysis.robustness.RobustnessStatements;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;

/** The engine's robustness figures as the estimate event carries them. */
public final class RobustnessMapping {

    private RobustnessMapping() {
    }

    /**
     * The fragility index refits the model twice per trial for every change it counts, so its cost grows with
     * the trials squared and the changes: it stops after this many changes ("above 20")...
     */
    static final int MAX_FRAGILITY_CHANGES = 20;
    /** ...and is not computed for more trials than this (docs/performance.md has the cost). */
    static final int MAX_FRAGILITY_TRIALS = 100;

    public static PooledEstimateComputed.Robustness robustness(QuestionState question, QuestionFrame frame, EvidenceSynthesis.Result result,
                                                        List<RecordState> active, EvidenceSynthesis.Plan plan) {
        EffectMeasure measure = question.effectMeasure();
        AnalysisSettings.BaselineRisk baseline = absoluteMeasure(measure) == null ? null : question.settings().baselineRisk();
        PooledEstimateComputed.NewStudyNeeded newStudy = null;
        NewStudyThreshold.Result n = result.newStudy();
        if (n != null) {
            double natural = frame.natural(n.effect());
            NewStudySize.Size size = n.maxStandardError() == null ? null : size(measure, baseline, natural, n.maxStandardError());
            newStudy = new PooledEstimateComputed.NewStudyNeeded(PooledEstimateComputed.NewStudyChange.valueOf(n.change().name()),
                    n.effect() + result.nullOnAnalysisScale(), natural, n.maxStandardError(), n.anyStandardError(),
                    size == null ? null : size.participants(), size == null ? null : size.events(),
                    RobustnessStatements.newStudy(label(measure), scaleInWords(measure), n, natural, size, modelInWords(question)),
                    n.someStandardErrors());
        }
        PooledEstimateComputed.AbsoluteEffect absolute = null;
        Conclusion c = result.conclusion();
        if (baseline != null && c != null) {
            AbsoluteEffects.AbsoluteEffect e = AbsoluteEffects.of(absoluteMeasure(measure), baseline.risk(), c.estimate(), c.ciLower(), c.ciUpper());
            absolute = new PooledEstimateComputed.AbsoluteEffect(baseline.risk(), baseline.timeFrame(), e.comparatorPer1000(),
                    e.interventionPer1000(), e.differencePer1000(), e.differenceLowerPer1000(), e.differenceUpperPer1000(),
                    RobustnessStatements.absoluteEffect(e, baseline.timeFrame(), question.outcome()),
                    AbsoluteEffects.statedPer(baseline.risk()), question.outcome());
        }
        PooledEstimateComputed.NewStudyForMid forMid = forMid(question, frame, result, baseline, c);
        PooledEstimateComputed.Fragility fragility = fragility(measure, active, plan);
        return newStudy == null && absolute == null && fragility == null && forMid == null ? null
                : new PooledEstimateComputed.Robustness(newStudy, absolute, fragility, forMid);
    }

    /** The new study that would move the interval across the question's minimal important difference, if it sets one. */
    private static PooledEstimateComputed.NewStudyForMid forMid(QuestionState question, QuestionFrame frame, EvidenceSynthesis.Result result,
                                                                AnalysisSettings.BaselineRisk baseline, Conclusion c) {
        NewStudyForMid m = result.newStudyForMid();
        if (m == null || c == null) {
            return null;
        }
        EffectMeasure measure = question.effectMeasure();
        NewStudyThreshold.Result t = m.threshold();
        double natural = frame.natural(t.effect());
        NewStudySize.Size size = t.maxStandardError() == null ? null : size(measure, baseline, natural, t.maxStandardError());
        double mid = frame.minimalImportantDifference();
        return new PooledEstimateComputed.NewStudyForMid(
                org.livingevidence.contracts.events.Conclusion.MidStatus.valueOf(m.becomes().name()), mid,
                t.effect() + result.nullOnAnalysisScale(), natural, t.maxStandardError(), t.anyStandardError(), t.someStandardErrors(),
                size == null ? null : size.participants(), size == null ? null : size.events(),
                RobustnessStatements.newStudyForMid(label(measure), scaleInWords(measure), m, natural, mid, c.mid(), size, modelInWords(question)));
    }

    private static String label(EffectMeasure measure) {
        return measure == EffectMeasure.PLO ? "proportion" : measure.name();
    }

    private static String modelInWords(QuestionState question) {
        return question.settings().model() == AnalysisSettings.Model.RANDOM ? "this random-effects model" : "this fixed-effect model";
    }

    /** The fragility index when every record gives events and totals of a risk ratio, odds ratio or risk difference. */
    private static PooledEstimateComputed.Fragility fragility(EffectMeasure measure, List<RecordState> active, EvidenceSynthesis.Plan plan) {
        if (plan.frame() == null || !List.of(EffectMeasure.RR, EffectMeasure.OR, EffectMeasure.RD).contains(measure)
                || active.isEmpty() || active.size() > MAX_FRAGILITY_TRIALS || active.stream().anyMatch(r -> r.counts() == null)) {
            return null;
        }
        List<FragilityIndex.Table> tables = active.stream().map(r -> new FragilityIndex.Table(r.counts().eventsIntervention(),
                r.counts().totalIntervention(), r.counts().eventsComparator(), r.counts().totalComparator())).toList();
        FragilityIndex.Result f = FragilityIndex.of(tables, TwoByTwoTable.Measure.valueOf(measure.name()),
                new NewStudyThreshold.Model(plan.randomEffects(), plan.tau2Method(), plan.ciMethod(), plan.alpha()), MAX_FRAGILITY_CHANGES);
        return new PooledEstimateComputed.Fragility(f.index(), f.quotient(), f.becomesSignificant(), f.participants(),
                MAX_FRAGILITY_CHANGES, RobustnessStatements.fragility(f, MAX_FRAGILITY_CHANGES));
    }

    /** The size of a new study with this standard error, where the measure and the baseline risk allow one. */
    private static NewStudySize.Size size(EffectMeasure measure, AnalysisSettings.BaselineRisk baseline, double naturalEffect,
                                          double standardError) {
        if (measure == EffectMeasure.SMD) {
            return NewStudySize.standardisedMeanDifference(standardError);
        }
        if (measure == EffectMeasure.HR) {
            NewStudySize.Size events = NewStudySize.hazardRatio(standardError);
            if (baseline == null) {
                return events;
            }
            double averageRisk = (baseline.risk() + AbsoluteEffects.risk(AbsoluteEffects.Measure.HR, baseline.risk(), naturalEffect)) / 2;
            return new NewStudySize.Size(events.events() / averageRisk, events.events());
        }
        if (baseline == null || absoluteMeasure(measure) == null) {
            return null;
        }
        double p1 = AbsoluteEffects.risk(absoluteMeasure(measure), baseline.risk(), naturalEffect);
        if (!(p1 > 0 && p1 < 1)) {
            return null;
        }
        return NewStudySize.binary(NewStudySize.Measure.valueOf(measure.name()), baseline.risk(), p1, standardError);
    }

    /** What the standard error is of: "the log HR", "the logit", or null for a difference. */
    private static String scaleInWords(EffectMeasure measure) {
        return switch (measure.scale()) {
            case LOG -> "the log " + measure.name();
            case LOGIT -> "the logit";
            case FREEMAN_TUKEY -> "the double arcsine";
            case IDENTITY -> null;
        };
    }

    private static AbsoluteEffects.Measure absoluteMeasure(EffectMeasure measure) {
        return switch (measure) {
            case HR -> AbsoluteEffects.Measure.HR;
            case RR -> AbsoluteEffects.Measure.RR;
            case OR -> AbsoluteEffects.Measure.OR;
            case RD -> AbsoluteEffects.Measure.RD;
            default -> null;
        };
    }
}
