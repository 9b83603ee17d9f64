package org.livingevidence.analysis.analyses;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.livingevidence.analysis.analyses.AnalysisReport.EggerReport;
import org.livingevidence.analysis.analyses.AnalysisReport.HeterogeneityReport;
import org.livingevidence.analysis.analyses.AnalysisReport.IntervalReport;
import org.livingevidence.analysis.analyses.AnalysisReport.Model;
import org.livingevidence.analysis.analyses.AnalysisReport.SensitivityRow;
import org.livingevidence.analysis.analyses.AnalysisReport.StudyRow;
import org.livingevidence.analysis.analyses.AnalysisReport.SubgroupReport;
import org.livingevidence.analysis.analyses.AnalysisReport.SubgroupRow;
import org.livingevidence.analysis.analyses.AnalysisReport.TsaLook;
import org.livingevidence.analysis.analyses.AnalysisReport.TsaReport;
import org.livingevidence.analysis.pooling.EngineMapping;
import org.livingevidence.analysis.pooling.RobustnessMapping;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.OutcomeRecordRevised.RecordStatus;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.metaanalysis.derivation.SingleArmProportion;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.bias.EggerTest;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.Interval;
import org.livingevidence.metaanalysis.pooling.MantelHaenszel;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.sensitivity.CumulativeMetaAnalysis;
import org.livingevidence.metaanalysis.sensitivity.LeaveOneOut;
import org.livingevidence.metaanalysis.sensitivity.Refit;
import org.livingevidence.metaanalysis.sensitivity.SubgroupAnalysis;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;
import org.livingevidence.support.derivation.ReportedOutcomeDerivation;
import org.livingevidence.support.problems.InputProblem;

/** Runs every analysis the engine offers on the studies of a request. */
final class PreviewAnalysis {

    private PreviewAnalysis() {
    }

    static AnalysisReport run(AnalysisRequest request) {
        request.validate();
        EffectMeasure measure = request.measure();
        double alpha = request.alpha() == null ? 0.05 : request.alpha();
        double level = 1 - alpha;
        AnalysisSettings.Model model = request.model() == null ? AnalysisSettings.Model.RANDOM : request.model();
        Tau2Method tau2Method = EngineMapping.tau2Method(request.tau2Estimator() == null ? AnalysisSettings.Tau2Estimator.DL : request.tau2Estimator());
        CiMethod ciMethod = EngineMapping.ciMethod(request.ciMethod() == null ? AnalysisSettings.CiMethod.WALD : request.ciMethod());
        boolean random = model == AnalysisSettings.Model.RANDOM;
        // A single-arm proportion has no null of its own: without a reference proportion it gets no conclusion.
        QuestionFrame frame = measure.comparative() || request.referenceProportion() != null
                ? EngineMapping.frame(measure, request.benefitDirection(), model, alpha, null, request.referenceProportion())
                : null;
        AnalysisRequest.TsaInput tsa = request.tsa();
        EvidenceSynthesis.Plan plan = new EvidenceSynthesis.Plan(frame, random, alpha, tau2Method, ciMethod, tsa == null ? null
                : new EvidenceSynthesis.SequentialPlan(tsa.anticipatedEffect(), tsa.power() == null ? 0.9 : tsa.power(), tsa.diversity()));
        Refit refit = new Refit(tau2Method, ciMethod, level);

        List<AnalysisRequest.StudyInput> inputs = request.studies();
        List<EvidenceSynthesis.Study> studies = new ArrayList<>();
        List<DerivedEffect> derivations = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            AnalysisRequest.StudyInput s = inputs.get(i);
            double estimate;
            double variance;
            if (s.reported() != null) {
                DerivedEffect derived = ReportedOutcomeDerivation.derive(s.reported(), "studies[" + i + "].reported");
                derivations.add(derived);
                estimate = derived.estimate();
                variance = derived.standardError() * derived.standardError();
            } else {
                derivations.add(null);
                estimate = s.estimate();
                variance = s.variance() != null ? s.variance() : s.standardError() * s.standardError();
            }
            studies.add(new EvidenceSynthesis.Study(s.label(), estimate, variance, s.year(), EngineMapping.design(s.studyDesign())));
        }
        EvidenceSynthesis.Result result = EvidenceSynthesis.run(studies, plan);
        List<StudyEffect> effects = studies.stream().map(s -> new StudyEffect(s.id(), s.estimate(), s.variance())).toList();
        int k = effects.size();
        DoubleUnaryOperator natural = naturalScale(measure, inputs);
        RandomEffectsResult re = result.random();

        List<StudyRow> rows = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            StudyEffect e = effects.get(i);
            rows.add(new StudyRow(e.id(), e.estimate(), Math.sqrt(e.variance()), result.fixed().weightsPercent().get(i),
                    re.weightsPercent().get(i), derivations.get(i)));
        }
        var het = re.heterogeneity();
        Interval tau2Ci = re.tau2ConfidenceInterval();
        HeterogeneityReport heterogeneity = new HeterogeneityReport(het.q(), het.df(), het.pValue(), het.iSquared(),
                het.hSquared(), het.tau2(), het.tau(), tau2Ci == null ? null : tau2Ci.lower(), tau2Ci == null ? null : tau2Ci.upper(),
                re.tau2().method().name(), re.tau2().converged());

        List<String> notes = new ArrayList<>(re.notes());
        EggerReport egger = null;
        if (result.egger() != null) {
            EggerTest.Result e = result.egger();
            egger = new EggerReport(e.statistic(), e.df(), e.pValue(), e.limitEstimate());
        } else if (result.eggerUnavailable() != null) {
            notes.add("Egger's test: " + result.eggerUnavailable());
        }
        List<StudyEffect> ordered = result.publicationOrder().stream().map(effects::get).toList();
        List<SensitivityRow> leaveOneOut = k >= 2 ? LeaveOneOut.run(effects, refit).stream()
                .map(o -> row(o.omitted(), o.result(), natural)).toList() : null;
        List<SensitivityRow> cumulative = CumulativeMetaAnalysis.run(ordered, refit).stream()
                .map(s -> row(s.added(), s.result(), natural)).toList();

        SubgroupReport subgroups = null;
        if (inputs.stream().anyMatch(s -> s.subgroup() != null)) {
            List<String> labels = inputs.stream().map(s -> s.subgroup() == null ? "(none)" : s.subgroup()).toList();
            SubgroupAnalysis.Result r = SubgroupAnalysis.run(effects, labels, refit);
            subgroups = new SubgroupReport(r.subgroups().stream().map(g -> new SubgroupRow(g.label(), g.result().k(),
                    g.result().pooled().estimate(), g.result().pooled().ciLower(), g.result().pooled().ciUpper(),
                    g.result().tau2().tau2(), natural.applyAsDouble(g.result().pooled().estimate()))).toList(), r.qBetween(), r.df(), r.pValue());
        }

        TsaReport sequential = null;
        if (result.sequential() != null) {
            TrialSequentialAnalysis.Result t = result.sequential();
            sequential = new TsaReport(t.requiredInformation(), t.requiredEvents(), t.accruedInformation(),
                    t.informationFraction(), t.diversity(), t.status().name(), t.looks().stream()
                    .map(l -> new TsaLook(l.addedStudy(), l.informationFraction(), l.z(), l.boundary(), l.crossed(),
                            l.futilityBoundary(), l.futile())).toList());
        }

        Model mantelHaenszel = null;
        if (inputs.stream().allMatch(s -> s.reported() instanceof ReportedOutcome.EventsAndTotals)) {
            List<MantelHaenszel.Table> tables = inputs.stream().map(s -> (ReportedOutcome.EventsAndTotals) s.reported())
                    .map(t -> new MantelHaenszel.Table(null, t.eventsIntervention(), t.totalIntervention(), t.eventsComparator(),
                            t.totalComparator())).toList();
            mantelHaenszel = model(MantelHaenszel.pool(tables, TwoByTwoTable.Measure.valueOf(measure.name()), level).pooled(), natural);
        }

        Conclusion conclusion = result.conclusion() == null ? null : EngineMapping.toContract(result.conclusion());
        PooledEstimateComputed.Robustness robustness = frame == null ? null : robustness(request, inputs, studies, frame, result, plan,
                new AnalysisSettings(alpha, model, request.tau2Estimator() == null ? AnalysisSettings.Tau2Estimator.DL : request.tau2Estimator(),
                        request.ciMethod() == null ? AnalysisSettings.CiMethod.WALD : request.ciMethod(), null, null,
                        request.referenceProportion(), null));
        return new AnalysisReport(measure, measure.scale(), k, rows, model(result.fixedOnAnalysisScale(), natural),
                model(result.randomOnAnalysisScale(), natural), heterogeneity, interval(result.predictionOnAnalysisScale(), natural),
                interval(result.rileyPredictionOnAnalysisScale(), natural), egger, leaveOneOut, cumulative, subgroups, sequential,
                mantelHaenszel, conclusion, notes, robustness);
    }

    /**
     * The robustness figures a living question's estimate carries, for these studies as if they were its records: the
     * new study that would change the conclusion, and the fragility index when every study is given as events and totals.
     */
    private static PooledEstimateComputed.Robustness robustness(AnalysisRequest request, List<AnalysisRequest.StudyInput> inputs,
                                                                List<EvidenceSynthesis.Study> studies, QuestionFrame frame,
                                                                EvidenceSynthesis.Result result, EvidenceSynthesis.Plan plan,
                                                                AnalysisSettings settings) {
        QuestionState question = new QuestionState(0, null, request.measure(), request.benefitDirection(), settings, null);
        List<RecordState> records = new ArrayList<>(studies.size());
        for (int i = 0; i < studies.size(); i++) {
            EvidenceSynthesis.Study s = studies.get(i);
            RecordState.Counts counts = inputs.get(i).reported() instanceof ReportedOutcome.EventsAndTotals t
                    ? new RecordState.Counts(t.eventsIntervention(), t.totalIntervention(), t.eventsComparator(), t.totalComparator())
                    : null;
            records.add(new RecordState(s.id(), 1, RecordStatus.ACTIVE, s.id(), s.publicationYear(), null, s.estimate(),
                    Math.sqrt(s.variance()), counts));
        }
        return RobustnessMapping.robustness(question, frame, result, records, plan);
    }

    /**
     * Back to the measure's natural scale: exp for ratios, the inverse logit for PLO, and for PFT Miller's inversion
     * with the harmonic mean of the studies' sizes (metafor's transf.ipft.hm).
     */
    static DoubleUnaryOperator naturalScale(EffectMeasure measure, List<AnalysisRequest.StudyInput> studies) {
        return switch (measure.scale()) {
            case LOG -> Math::exp;
            case IDENTITY -> DoubleUnaryOperator.identity();
            case LOGIT -> SingleArmProportion::inverseLogit;
            case FREEMAN_TUKEY -> {
                double sumInverse = 0;
                for (AnalysisRequest.StudyInput s : studies) {
                    if (!(s.reported() instanceof ReportedOutcome.SingleArmProportion p)) {
                        throw InputProblem.invalid("studies", "PFT needs every study as SINGLE_ARM_PROPORTION: its back-transformation uses the sample sizes");
                    }
                    sumInverse += 1 / p.total();
                }
                double harmonicMean = studies.size() / sumInverse;
                yield value -> SingleArmProportion.inverseFreemanTukey(value, harmonicMean);
            }
        };
    }

    private static Model model(PooledEstimate p, DoubleUnaryOperator natural) {
        return new Model(p.method(), p.estimate(), p.standardError(), p.ciLower(), p.ciUpper(), p.ciLevel(), p.zValue(),
                p.pValue(), natural.applyAsDouble(p.estimate()), natural.applyAsDouble(p.ciLower()), natural.applyAsDouble(p.ciUpper()));
    }

    private static IntervalReport interval(Interval interval, DoubleUnaryOperator natural) {
        return interval == null ? null : new IntervalReport(interval.lower(), interval.upper(),
                natural.applyAsDouble(interval.lower()), natural.applyAsDouble(interval.upper()));
    }

    private static SensitivityRow row(String study, RandomEffectsResult r, DoubleUnaryOperator natural) {
        return new SensitivityRow(study, r.k(), r.pooled().estimate(), r.pooled().ciLower(), r.pooled().ciUpper(),
                r.pooled().pValue(), r.tau2().tau2(), r.heterogeneity().iSquared(), natural.applyAsDouble(r.pooled().estimate()));
    }
}
