package org.livingevidence.analysis.pooling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.livingevidence.analysis.projections.QuestionProjection;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.PooledEstimateComputed.Heterogeneity;
import org.livingevidence.contracts.events.PooledEstimateComputed.NaturalScale;
import org.livingevidence.contracts.events.PooledEstimateComputed.PooledResult;
import org.livingevidence.contracts.events.PooledEstimateComputed.PredictionInterval;
import org.livingevidence.contracts.events.PooledEstimateComputed.StudyContribution;
import org.livingevidence.contracts.events.PooledEstimateComputed.Tau2Interval;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.Interval;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.sequential.LookCache;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;

/** Turns a question's projection into its next pooled-estimate payload, using the framework-free engine. */
public final class EstimateCalculator {

    private EstimateCalculator() {
    }

    /** The frame the engine concludes in, from the question's settings. */
    public static QuestionFrame frame(QuestionState question) {
        AnalysisSettings settings = question.settings();
        return EngineMapping.frame(question.effectMeasure(), question.benefitDirection(), settings.model(), settings.alpha(),
                settings.minimalImportantDifference(), settings.referenceProportion());
    }

    /** The engine's plan for a question: its frame, estimator, interval and sequential plan. */
    public static EvidenceSynthesis.Plan plan(QuestionState question) {
        AnalysisSettings settings = question.settings();
        AnalysisSettings.SequentialPlan tsa = question.effectMeasure().comparative() ? settings.tsa() : null;
        return EvidenceSynthesis.Plan.of(frame(question), EngineMapping.tau2Method(settings.tau2Estimator()),
                EngineMapping.ciMethod(settings.ciMethod()),
                tsa == null ? null : new EvidenceSynthesis.SequentialPlan(tsa.anticipatedEffect(), tsa.power(), null));
    }

    /**
     * The next estimate of a question with at least one active record, numbered one above the last: the fixed
     * effect, and the random-effects model with the question's tau² estimator and interval method, as
     * {@link EvidenceSynthesis} computes them. {@code triggers} are the changes it follows, in order (at least one).
     */
    public static PooledEstimateComputed estimate(QuestionProjection projection, List<Trigger> triggers, Instant now) {
        return estimate(projection, triggers, now, new LookCache());
    }

    /** As {@link #estimate(QuestionProjection, List, Instant)}, reusing the question's sequential looks in {@code looks}. */
    public static PooledEstimateComputed estimate(QuestionProjection projection, List<Trigger> triggers, Instant now, LookCache looks) {
        Trigger trigger = triggers.get(triggers.size() - 1);
        QuestionState question = projection.question();
        List<RecordState> active = projection.activeRecords();
        QuestionFrame frame = frame(question);
        EvidenceSynthesis.Result result = EvidenceSynthesis.run(active.stream()
                .map(r -> new EvidenceSynthesis.Study(r.recordId(), r.estimate(), r.standardError() * r.standardError(),
                        r.publicationYear(), EngineMapping.design(r.studyDesign()))).toList(), plan(question), looks);
        FixedEffect.Result fixed = result.fixed();
        RandomEffectsResult random = result.random();
        PooledEstimateComputed.Sequential sequential = null;
        TrialSequentialAnalysis.Result tsa = result.sequential();
        if (tsa != null) {
            TrialSequentialAnalysis.Look last = tsa.looks().get(tsa.looks().size() - 1);
            sequential = new PooledEstimateComputed.Sequential(tsa.requiredInformation(), tsa.requiredEvents(),
                    tsa.accruedInformation(), tsa.informationFraction(), tsa.diversity(), last.z(), last.boundary(),
                    last.futilityBoundary(), Conclusion.SequentialStatus.valueOf(tsa.status().name()));
        }
        List<StudyContribution> studies = new ArrayList<>(active.size());
        for (int i = 0; i < active.size(); i++) {
            RecordState r = active.get(i);
            studies.add(new StudyContribution(r.recordId(), r.revision(), r.studyLabel(), r.estimate(), r.standardError(),
                    fixed.weightsPercent().get(i), random.weightsPercent().get(i)));
        }
        var het = random.heterogeneity();
        Interval predicted = result.predictionOnAnalysisScale();
        PredictionInterval prediction = predicted == null ? null
                : new PredictionInterval(predicted.lower(), predicted.upper(), frame.natural(random.predictionInterval().lower()),
                frame.natural(random.predictionInterval().upper()), "METAFOR");
        Tau2Interval tau2Ci = random.tau2ConfidenceInterval() == null ? null
                : new Tau2Interval(random.tau2ConfidenceInterval().lower(), random.tau2ConfidenceInterval().upper());
        return new PooledEstimateComputed(projection.questionId(), Math.addExact(projection.estimateVersion(), 1), now,
                question.effectMeasure(), question.effectMeasure().scale(), result.k(),
                pooled(result.fixedOnAnalysisScale(), fixed.pooled(), frame), pooled(result.randomOnAnalysisScale(), random.pooled(), frame),
                new Heterogeneity(het.q(), het.df(), het.pValue(), het.iSquared(), het.hSquared(), het.tau2(), het.tau()),
                studies, EngineMapping.toContract(result.conclusion()), trigger, prediction, tau2Ci,
                random.notes().isEmpty() ? null : random.notes(), sequential, question.title(), question.tags(), triggers,
                RobustnessMapping.robustness(question, frame, result, active, plan(question)));
    }

    private static PooledResult pooled(PooledEstimate p, PooledEstimate onTestScale, QuestionFrame frame) {
        return new PooledResult(p.method(), p.estimate(), p.standardError(), p.ciLower(), p.ciUpper(), p.ciLevel(),
                p.zValue(), p.pValue(), new NaturalScale(frame.natural(onTestScale.estimate()), frame.natural(onTestScale.ciLower()),
                frame.natural(onTestScale.ciUpper())));
    }
}
