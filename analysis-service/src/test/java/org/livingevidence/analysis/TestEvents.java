package org.livingevidence.analysis;

import java.time.Instant;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.Pico;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.contracts.events.StudyDesign;

/** Contract payloads for driving analysis-service in tests. */
public final class TestEvents {

    private TestEvents() {
    }

    public static QuestionRevised question(String questionId, String model) {
        return question(questionId, model, "DL", "WALD");
    }

    public static QuestionRevised question(String questionId, String model, String tau2Estimator, String ciMethod) {
        return question(questionId, new AnalysisSettings(0.05, AnalysisSettings.Model.valueOf(model),
                AnalysisSettings.Tau2Estimator.valueOf(tau2Estimator), AnalysisSettings.CiMethod.valueOf(ciMethod), null, null));
    }

    public static QuestionRevised question(String questionId, AnalysisSettings settings) {
        return new QuestionRevised(questionId, 1, "Test question " + questionId,
                new Pico("adults", "local therapy", "systemic therapy", "overall survival"), EffectMeasure.HR,
                BenefitDirection.LOWER, settings,
                QuestionRevised.QuestionStatus.ACTIVE, Instant.now(), "curator:test", null, null);
    }

    /** A question on a single-arm proportion, pooled as logits and judged against {@code reference}. */
    public static QuestionRevised proportionQuestion(String questionId, double reference) {
        return new QuestionRevised(questionId, 1, "Proportion question " + questionId,
                new Pico("adults", "local therapy", "historical control", "on the same therapy at 6 months"), EffectMeasure.PLO,
                BenefitDirection.HIGHER, new AnalysisSettings(0.05, AnalysisSettings.Model.FIXED,
                AnalysisSettings.Tau2Estimator.DL, AnalysisSettings.CiMethod.WALD, null, null, reference),
                QuestionRevised.QuestionStatus.ACTIVE, Instant.now(), "curator:test", null, null);
    }

    /** A single-arm proportion record, derived as study-service derives it (escalc's PLO). */
    public static OutcomeRecordRevised proportion(String questionId, String recordId, int events, int total) {
        return new OutcomeRecordRevised(recordId, questionId, "s-" + recordId, 1, OutcomeRecordRevised.RecordStatus.ACTIVE,
                "Study " + recordId, 2025, new ReportedOutcome.SingleArmProportion(EffectMeasure.PLO, events, total),
                new DerivedEffect(EffectMeasure.PLO, EffectMeasure.Scale.LOGIT, Math.log((double) events / (total - events)),
                        Math.sqrt(1.0 / events + 1.0 / (total - events)), "logit proportion", java.util.List.of(), false,
                        java.util.List.of(), false),
                Instant.now(), "curator:test", null, StudyDesign.SINGLE_ARM, null, null, null);
    }

    /** An HR record with a 95% CI, derived as study-service derives it. */
    public static OutcomeRecordRevised hr(String questionId, String recordId, long revision, double hr, double lower, double upper) {
        double se = (Math.log(upper) - Math.log(lower)) / (2 * 1.959963984540054);
        return new OutcomeRecordRevised(recordId, questionId, "s-" + recordId, revision, OutcomeRecordRevised.RecordStatus.ACTIVE,
                "Study " + recordId, 2025, new ReportedOutcome.RatioWithCi(EffectMeasure.HR, hr, lower, upper, 0.95),
                new DerivedEffect(EffectMeasure.HR, EffectMeasure.Scale.LOG, Math.log(hr), se, "log ratio", java.util.List.of(),
                        false, java.util.List.of(), false),
                Instant.now(), "curator:test", null, StudyDesign.RANDOMISED_TRIAL, null, null, null);
    }

    /** A risk-ratio record from events and totals, derived as study-service derives it. */
    public static OutcomeRecordRevised eventsAndTotals(String questionId, String recordId, int e1, int n1, int e2, int n2) {
        org.livingevidence.metaanalysis.derivation.DerivedEffect d = org.livingevidence.metaanalysis.derivation.TwoByTwoTable.derive(
                org.livingevidence.metaanalysis.derivation.TwoByTwoTable.Measure.RR, e1, n1, e2, n2);
        return new OutcomeRecordRevised(recordId, questionId, "s-" + recordId, 1, OutcomeRecordRevised.RecordStatus.ACTIVE,
                "Study " + recordId, 2025, new ReportedOutcome.EventsAndTotals(EffectMeasure.RR, e1, n1, e2, n2),
                new DerivedEffect(EffectMeasure.RR, EffectMeasure.Scale.LOG, d.estimate(), d.standardError(), d.method(), d.assumptions(),
                        false, d.warnings(), false),
                Instant.now(), "curator:test", null, StudyDesign.RANDOMISED_TRIAL, null, null, null);
    }

    /** A risk-ratio question with these settings. */
    public static QuestionRevised riskRatioQuestion(String questionId, AnalysisSettings settings) {
        return new QuestionRevised(questionId, 1, "Risk ratio question " + questionId,
                new Pico("adults", "local therapy", "systemic therapy", "death within 3 years"), EffectMeasure.RR,
                BenefitDirection.LOWER, settings, QuestionRevised.QuestionStatus.ACTIVE, Instant.now(), "curator:test", null, null);
    }
}
