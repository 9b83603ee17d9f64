package org.livingevidence.analysis.analyses;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.analysis.pooling.EstimateCalculator;
import org.livingevidence.analysis.projections.QuestionProjection;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised.RecordStatus;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.contracts.events.Trigger;

/**
 * A living estimate and a stateless analysis of the same studies under the same settings publish the same figures
 * and the same conclusion: both run one pipeline. Cases where the two used to differ: a single-arm proportion tested
 * against its reference, and a sequential plan (whose status is part of the conclusion).
 */
class OnePipelineTest {

    private record Case(double estimate, double standardError, int year, StudyDesign design) {
    }

    private static final List<Case> HAZARD_RATIOS = List.of(
            new Case(Math.log(0.86), 0.1334, 2025, StudyDesign.RANDOMISED_TRIAL),
            new Case(Math.log(0.48), 0.2473, 2025, StudyDesign.PROPENSITY_MATCHED_COHORT),
            new Case(Math.log(0.72), 0.1810, 2019, StudyDesign.RANDOMISED_TRIAL),
            new Case(Math.log(1.05), 0.2200, 2021, null),
            new Case(Math.log(0.66), 0.3100, 2023, StudyDesign.RETROSPECTIVE_COHORT));

    private static final List<Case> PROPORTION_LOGITS = List.of(
            new Case(Math.log(28.0 / 19), Math.sqrt(1 / 28.0 + 1 / 19.0), 2024, StudyDesign.SINGLE_ARM),
            new Case(Math.log(40.0 / 35), Math.sqrt(1 / 40.0 + 1 / 35.0), 2022, StudyDesign.SINGLE_ARM),
            new Case(Math.log(12.0 / 20), Math.sqrt(1 / 12.0 + 1 / 20.0), 2020, StudyDesign.SINGLE_ARM));

    @Test
    void hazardRatiosUnderRemlHksjWithASequentialPlan() {
        AnalysisSettings settings = new AnalysisSettings(0.05, AnalysisSettings.Model.RANDOM, AnalysisSettings.Tau2Estimator.REML,
                AnalysisSettings.CiMethod.HKSJ, null, new AnalysisSettings.SequentialPlan(0.80, 0.90));
        assertSameFigures(EffectMeasure.HR, BenefitDirection.LOWER, settings, HAZARD_RATIOS);
    }

    @Test
    void hazardRatiosUnderAFixedEffect() {
        AnalysisSettings settings = new AnalysisSettings(0.10, AnalysisSettings.Model.FIXED, AnalysisSettings.Tau2Estimator.DL,
                AnalysisSettings.CiMethod.WALD, null, null);
        assertSameFigures(EffectMeasure.HR, BenefitDirection.LOWER, settings, HAZARD_RATIOS);
    }

    @Test
    void aSingleArmProportionJudgedAgainstItsReference() {
        AnalysisSettings settings = new AnalysisSettings(0.05, AnalysisSettings.Model.RANDOM, AnalysisSettings.Tau2Estimator.PM,
                AnalysisSettings.CiMethod.WALD, null, null, 0.45);
        assertSameFigures(EffectMeasure.PLO, BenefitDirection.HIGHER, settings, PROPORTION_LOGITS);
    }

    private static void assertSameFigures(EffectMeasure measure, BenefitDirection direction, AnalysisSettings settings, List<Case> cases) {
        List<RecordState> records = new ArrayList<>();
        List<AnalysisRequest.StudyInput> inputs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            records.add(new RecordState("r" + i, 1, RecordStatus.ACTIVE, "Study " + i, c.year(), c.design(), c.estimate(), c.standardError()));
            inputs.add(new AnalysisRequest.StudyInput("Study " + i, c.estimate(), c.standardError(), null, null, null, c.year(), c.design()));
        }
        QuestionProjection projection = new QuestionProjection("q1", 3, new QuestionState(1, "A question", measure, direction,
                settings, null), records, 0, null, null);
        PooledEstimateComputed living = EstimateCalculator.estimate(projection,
                List.of(new Trigger(Trigger.Kind.OUTCOME_RECORD, "r0", 1, "Study 0", Trigger.Change.ADDED)), Instant.now());
        AnalysisSettings.SequentialPlan plan = settings.tsa();
        AnalysisReport preview = PreviewAnalysis.run(new AnalysisRequest(measure, direction, settings.model(), settings.tau2Estimator(),
                settings.ciMethod(), settings.alpha(), inputs,
                plan == null ? null : new AnalysisRequest.TsaInput(plan.anticipatedEffect(), plan.power(), null),
                settings.referenceProportion()));

        assertThat(preview.conclusion()).isEqualTo(living.conclusion());
        assertThat(preview.conclusion().certainty()).isNotNull();
        assertSameModel(preview.fixedEffect(), living.fixedEffect());
        assertSameModel(preview.randomEffects(), living.randomEffects());
        assertThat(preview.heterogeneity().q()).isEqualTo(living.heterogeneity().q());
        assertThat(preview.heterogeneity().tau2()).isEqualTo(living.heterogeneity().tau2());
        assertThat(preview.heterogeneity().iSquared()).isEqualTo(living.heterogeneity().iSquared());
        assertThat(preview.predictionInterval().lower()).isEqualTo(living.predictionInterval().lower());
        assertThat(preview.predictionInterval().upper()).isEqualTo(living.predictionInterval().upper());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(preview.studies().get(i).weightRandom()).isEqualTo(living.studies().get(i).weightRandom());
        }
        if (plan == null) {
            assertThat(preview.sequential()).isNull();
            assertThat(living.sequential()).isNull();
        } else {
            assertThat(preview.sequential().requiredInformation()).isEqualTo(living.sequential().requiredInformation());
            assertThat(preview.sequential().informationFraction()).isEqualTo(living.sequential().informationFraction());
            assertThat(preview.sequential().status()).isEqualTo(living.sequential().status().name());
            assertThat(preview.conclusion().sequential()).isEqualTo(living.sequential().status());
        }
    }

    private static void assertSameModel(AnalysisReport.Model preview, PooledEstimateComputed.PooledResult living) {
        assertThat(preview.method()).isEqualTo(living.method());
        assertThat(preview.estimate()).isEqualTo(living.estimate());
        assertThat(preview.standardError()).isEqualTo(living.standardError());
        assertThat(preview.ciLower()).isEqualTo(living.ciLower());
        assertThat(preview.ciUpper()).isEqualTo(living.ciUpper());
        assertThat(preview.statistic()).isEqualTo(living.zValue());
        assertThat(preview.pValue()).isEqualTo(living.pValue());
        assertThat(preview.naturalEstimate()).isEqualTo(living.natural().estimate());
        assertThat(preview.naturalCiLower()).isEqualTo(living.natural().ciLower());
    }
}
