package org.livingevidence.analysis.pooling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.livingevidence.analysis.projections.QuestionProjection;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.PooledEstimateComputed.Heterogeneity;
import org.livingevidence.contracts.events.PooledEstimateComputed.NaturalScale;
import org.livingevidence.contracts.events.PooledEstimateComputed.PooledResult;
import org.livingevidence.contracts.events.PooledEstimateComputed.PredictionInterval;
import org.livingevidence.contracts.events.PooledEstimateComputed.StudyContribution;
import org.livingevidence.contracts.events.PooledEstimateComputed.Tau2Interval;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.metaanalysis.bias.EggerTest;
import org.livingevidence.metaanalysis.conclusions.Certainty;
import org.livingevidence.metaanalysis.conclusions.CertaintyRules;
import org.livingevidence.metaanalysis.conclusions.ConclusionRules;
import org.livingevidence.metaanalysis.conclusions.MidStatus;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;
import org.livingevidence.metaanalysis.sequential.TsaSettings;

/** Turns a question's projection into its next pooled-estimate payload, using the framework-free engine. */
public final class EstimateCalculator {

    private EstimateCalculator() {
    }

    /** The frame the engine concludes in, from the question's settings. */
    public static QuestionFrame frame(QuestionState question) {
        AnalysisSettings settings = question.settings();
        return frame(question.effectMeasure(), question.benefitDirection() == BenefitDirection.LOWER,
                "RANDOM".equals(settings.model()), settings.alpha(), settings.minimalImportantDifference(),
                settings.referenceProportion());
    }

    /** The frame of a measure: a single-arm proportion is judged against {@code referenceProportion}. */
    public static QuestionFrame frame(EffectMeasure measure, boolean lowerIsBenefit, boolean random, double alpha,
                                      Double minimalImportantDifference, Double referenceProportion) {
        if (!measure.comparative()) {
            return QuestionFrame.singleArmProportion(lowerIsBenefit, random, alpha, minimalImportantDifference, referenceProportion);
        }
        return QuestionFrame.comparative(measure.name(), measure.scale() == EffectMeasure.Scale.LOG, lowerIsBenefit, random,
                alpha, minimalImportantDifference);
    }

    /**
     * The next estimate of a question with at least one active record, numbered one above the last: the fixed
     * effect, and the random-effects model with the question's tau² estimator and interval method. Pooling runs on
     * the frame's test scale (a single-arm proportion's logits less the reference's), and the published analysis-scale
     * figures are moved back, so that z and p test against the reference while estimates stay plain logits.
     */
    public static PooledEstimateComputed estimate(QuestionProjection projection, Trigger trigger, Instant now) {
        QuestionState question = projection.question();
        List<RecordState> active = projection.activeRecords();
        QuestionFrame frame = frame(question);
        List<StudyEffect> effects = active.stream().map(r -> new StudyEffect(r.recordId(), frame.testScale(r.estimate()),
                r.standardError() * r.standardError())).toList();
        double nullValue = frame.nullOnAnalysisScale();
        double level = 1 - question.settings().alpha();
        FixedEffect.Result fixed = FixedEffect.pool(effects, level);
        RandomEffectsResult random = RandomEffects.fit(effects, Tau2Method.valueOf(question.settings().tau2Estimator()),
                CiMethod.valueOf(question.settings().ciMethod()), level);
        PooledEstimate chosen = frame.randomEffects() ? random.pooled() : fixed.pooled();
        org.livingevidence.metaanalysis.conclusions.Conclusion concluded = ConclusionRules.conclude(chosen, effects.size(), frame);
        PooledEstimateComputed.Sequential sequential = null;
        AnalysisSettings.SequentialPlan plan = question.settings().tsa();
        if (plan != null && question.effectMeasure().comparative()) {
            // Looks in publication order (arrival order among records of the same or an unknown year).
            List<StudyEffect> inOrder = IntStream.range(0, active.size()).boxed()
                    .sorted(Comparator.comparing(i -> active.get(i).publicationYear() == null ? Integer.MAX_VALUE : active.get(i).publicationYear()))
                    .map(effects::get).toList();
            TrialSequentialAnalysis.Result tsa = TrialSequentialAnalysis.run(inOrder,
                    new TsaSettings(frame.analysis(plan.anticipatedEffect()), question.settings().alpha(), plan.power(), null),
                    Tau2Method.valueOf(question.settings().tau2Estimator()));
            TrialSequentialAnalysis.Look last = tsa.looks().get(tsa.looks().size() - 1);
            Conclusion.SequentialStatus status = Conclusion.SequentialStatus.valueOf(tsa.status().name());
            sequential = new PooledEstimateComputed.Sequential(tsa.requiredInformation(), tsa.requiredEvents(),
                    tsa.accruedInformation(), tsa.informationFraction(), tsa.diversity(), last.z(), last.boundary(), last.futilityBoundary(), status);
            concluded = concluded.withSequential(tsa.status());
        }
        concluded = concluded.withCertainty(CertaintyRules.rate(concluded, evidence(active, effects, random)));
        Conclusion conclusion = toContract(concluded);

        List<StudyContribution> studies = new ArrayList<>(active.size());
        for (int i = 0; i < active.size(); i++) {
            RecordState r = active.get(i);
            studies.add(new StudyContribution(r.recordId(), r.revision(), r.studyLabel(), r.estimate(), r.standardError(),
                    fixed.weightsPercent().get(i), random.weightsPercent().get(i)));
        }
        var het = random.heterogeneity();
        PredictionInterval prediction = random.predictionInterval() == null ? null
                : new PredictionInterval(random.predictionInterval().lower() + nullValue, random.predictionInterval().upper() + nullValue,
                frame.natural(random.predictionInterval().lower()), frame.natural(random.predictionInterval().upper()), "METAFOR");
        Tau2Interval tau2Ci = random.tau2ConfidenceInterval() == null ? null
                : new Tau2Interval(random.tau2ConfidenceInterval().lower(), random.tau2ConfidenceInterval().upper());
        return new PooledEstimateComputed(projection.questionId(), projection.estimateVersion() + 1, now,
                question.effectMeasure(), question.effectMeasure().scale(), effects.size(),
                pooled(fixed.pooled(), frame), pooled(random.pooled(), frame),
                new Heterogeneity(het.q(), het.df(), het.pValue(), het.iSquared(), het.hSquared(), het.tau2(), het.tau()),
                studies, conclusion, trigger, prediction, tau2Ci, random.notes().isEmpty() ? null : random.notes(), sequential,
                question.title(), question.tags());
    }

    /** What the certainty rating needs: designs, inconsistency, and Egger's test where it is computable. */
    static CertaintyRules.Evidence evidence(List<RecordState> records, List<StudyEffect> effects, RandomEffectsResult random) {
        int randomised = (int) records.stream().filter(r -> r.studyDesign() == StudyDesign.RANDOMISED_TRIAL).count();
        int unknown = (int) records.stream().filter(r -> r.studyDesign() == null).count();
        Double eggerP = null;
        // The rating ignores Egger below this many studies, so the regression is not run on every event before it.
        if (effects.size() >= CertaintyRules.EGGER_MIN_STUDIES) {
            try {
                eggerP = EggerTest.test(effects).pValue();
            } catch (IllegalArgumentException e) {
                // Equal standard errors: no regression to run, so no small-study signal either.
            }
        }
        return new CertaintyRules.Evidence(randomised, records.size() - randomised - unknown, unknown,
                random.heterogeneity().iSquared(), eggerP);
    }

    private static PooledResult pooled(PooledEstimate p, QuestionFrame frame) {
        double nullValue = frame.nullOnAnalysisScale();
        return new PooledResult(p.method(), p.estimate() + nullValue, p.standardError(), p.ciLower() + nullValue,
                p.ciUpper() + nullValue, p.ciLevel(),
                p.zValue(), p.pValue(), new NaturalScale(frame.natural(p.estimate()), frame.natural(p.ciLower()),
                frame.natural(p.ciUpper())));
    }

    public static Conclusion toContract(org.livingevidence.metaanalysis.conclusions.Conclusion c) {
        return new Conclusion(Conclusion.Direction.valueOf(c.direction().name()), c.significant(),
                c.randomEffects() ? "RANDOM" : "FIXED", c.alpha(), c.k(), c.estimate(), c.ciLower(), c.ciUpper(),
                c.pValue(), c.statement(), Conclusion.MidStatus.valueOf(c.mid().name()),
                c.sequential() == null ? null : Conclusion.SequentialStatus.valueOf(c.sequential().name()),
                c.certainty() == null ? null : new Conclusion.Certainty(
                        Conclusion.Certainty.Level.valueOf(c.certainty().level().name()), c.certainty().reasons()));
    }

    /** The engine's view of a published conclusion; events from before MID existed read as NOT_SET. */
    static org.livingevidence.metaanalysis.conclusions.Conclusion toEngine(Conclusion c) {
        return new org.livingevidence.metaanalysis.conclusions.Conclusion(
                org.livingevidence.metaanalysis.conclusions.Direction.valueOf(c.direction().name()), c.significant(),
                "RANDOM".equals(c.model()), c.alpha(), c.k(), c.estimate(), c.ciLower(), c.ciUpper(), c.pValue(), c.statement(),
                c.mid() == null ? MidStatus.NOT_SET : MidStatus.valueOf(c.mid().name()),
                c.sequential() == null ? null : TrialSequentialAnalysis.Status.valueOf(c.sequential().name()),
                c.certainty() == null ? null : new Certainty(Certainty.Level.valueOf(c.certainty().level().name()), c.certainty().reasons()));
    }
}
