package org.livingevidence.metaanalysis.conclusions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.pooling.InverseVariancePooling;
import org.livingevidence.metaanalysis.pooling.MetaAnalysisResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

class ConclusionRulesTest {

    private static final QuestionFrame HR_FIXED = QuestionFrame.comparative("HR", true, true, false, 0.05, null);
    private static final QuestionFrame HR_RANDOM = QuestionFrame.comparative("HR", true, true, true, 0.05, null);

    private static StudyEffect hr(String id, double hr, double lower, double upper) {
        double se = (Math.log(upper) - Math.log(lower)) / (2 * 1.959963984540054);
        return new StudyEffect(id, Math.log(hr), se * se);
    }

    private static MetaAnalysisResult pool(StudyEffect... studies) {
        return InverseVariancePooling.pool(List.of(studies), 0.95);
    }

    @Test
    void aSingleNonSignificantStudyFavouringTheIntervention() {
        Conclusion c = ConclusionRules.conclude(pool(hr("a", 0.80, 0.60, 1.07)), HR_FIXED);

        assertThat(c.direction()).isEqualTo(Direction.FAVOURS_INTERVENTION);
        assertThat(c.significant()).isFalse();
        assertThat(c.estimate()).isCloseTo(0.80, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.statement()).isEqualTo(
                "Pooled HR 0.80 (95% CI 0.60 to 1.07), favours the intervention, not statistically significant (p = 0.13; fixed effect, k = 1).");
    }

    @Test
    void aSecondStudyFlipsSignificanceAndAThirdChangesNothing() {
        Conclusion one = ConclusionRules.conclude(pool(hr("a", 0.80, 0.60, 1.07)), HR_RANDOM);
        Conclusion two = ConclusionRules.conclude(pool(hr("a", 0.80, 0.60, 1.07), hr("b", 0.70, 0.55, 0.89)), HR_RANDOM);
        Conclusion three = ConclusionRules.conclude(pool(hr("a", 0.80, 0.60, 1.07), hr("b", 0.70, 0.55, 0.89),
                hr("c", 0.75, 0.60, 0.94)), HR_RANDOM);

        assertThat(two.significant()).isTrue();
        assertThat(ConclusionRules.shifts(one, two)).containsExactly(ShiftType.SIGNIFICANCE_FLIP);
        assertThat(ConclusionRules.shifts(two, three)).isEmpty();
    }

    @Test
    void directionFollowsWhichSideMeansBenefit() {
        assertThat(ConclusionRules.direction(-0.1, true)).isEqualTo(Direction.FAVOURS_INTERVENTION);
        assertThat(ConclusionRules.direction(-0.1, false)).isEqualTo(Direction.FAVOURS_COMPARATOR);
        assertThat(ConclusionRules.direction(0.2, true)).isEqualTo(Direction.FAVOURS_COMPARATOR);
        assertThat(ConclusionRules.direction(0.0, true)).isEqualTo(Direction.NO_DIFFERENCE);
    }

    @Test
    void aStudyOnTheOtherSideChangesDirection() {
        Conclusion before = ConclusionRules.conclude(pool(hr("a", 0.95, 0.70, 1.29)), HR_FIXED);
        Conclusion after = ConclusionRules.conclude(pool(hr("a", 0.95, 0.70, 1.29), hr("b", 1.30, 0.90, 1.88)), HR_FIXED);

        assertThat(ConclusionRules.shifts(before, after)).containsExactly(ShiftType.DIRECTION_CHANGE);
    }

    @Test
    void pValuesAreFormattedForPeople() {
        assertThat(ConclusionRules.formatP(0.0004)).isEqualTo("< 0.001");
        assertThat(ConclusionRules.formatP(0.0032)).isEqualTo("= 0.003");
        assertThat(ConclusionRules.formatP(0.016217)).isEqualTo("= 0.016");
        assertThat(ConclusionRules.formatP(0.258)).isEqualTo("= 0.26");
    }

    @Test
    void aPBelowAlphaNeverReadsAsAlphaOrAbove() {
        assertThat(ConclusionRules.formatP(0.0496)).isEqualTo("= 0.050");
        assertThat(ConclusionRules.formatP(0.0496, 0.05)).isEqualTo("= 0.0496");
        assertThat(ConclusionRules.formatP(0.0996, 0.10)).isEqualTo("= 0.0996");
        assertThat(ConclusionRules.formatP(0.0504, 0.05)).isEqualTo("= 0.050");
        assertThat(ConclusionRules.formatP(0.016217, 0.05)).isEqualTo("= 0.016");
    }

    private static Conclusion withP(Conclusion c, double p, boolean significant) {
        return new Conclusion(c.direction(), significant, c.randomEffects(), c.alpha(), c.k(), c.estimate(), c.ciLower(),
                c.ciUpper(), p, c.statement(), c.mid(), c.sequential(), c.certainty());
    }

    @Test
    void aPValueHoveringAtAlphaDoesNotFlipWithHysteresis() {
        Conclusion base = ConclusionRules.conclude(pool(hr("a", 0.80, 0.65, 0.98)), HR_FIXED);
        Conclusion justSignificant = withP(base, 0.049, true);
        Conclusion justNot = withP(base, 0.051, false);
        Conclusion clearlyNot = withP(base, 0.09, false);

        assertThat(ConclusionRules.shifts(justSignificant, justNot)).containsExactly(ShiftType.SIGNIFICANCE_FLIP);
        assertThat(ConclusionRules.shifts(justSignificant, justNot, HR_FIXED, Hysteresis.DEFAULT)).isEmpty();
        assertThat(ConclusionRules.shifts(justSignificant, clearlyNot, HR_FIXED, Hysteresis.DEFAULT))
                .containsExactly(ShiftType.SIGNIFICANCE_FLIP);
    }

    @Test
    void theIntervalIsJudgedAgainstTheMinimalImportantDifference() {
        QuestionFrame mid = QuestionFrame.comparative("HR", true, true, false, 0.05, 0.90);

        assertThat(ConclusionRules.conclude(pool(hr("a", 0.70, 0.60, 0.82)), mid).mid()).isEqualTo(MidStatus.IMPORTANT_BENEFIT);
        assertThat(ConclusionRules.conclude(pool(hr("a", 0.85, 0.75, 0.96)), mid).mid()).isEqualTo(MidStatus.INCONCLUSIVE);
        assertThat(ConclusionRules.conclude(pool(hr("a", 1.00, 0.93, 1.08)), mid).mid()).isEqualTo(MidStatus.NO_IMPORTANT_BENEFIT);
        assertThat(ConclusionRules.conclude(pool(hr("a", 0.70, 0.60, 0.82)), HR_FIXED).mid()).isEqualTo(MidStatus.NOT_SET);

        Conclusion inconclusive = ConclusionRules.conclude(pool(hr("a", 0.85, 0.75, 0.96)), mid);
        Conclusion important = ConclusionRules.conclude(pool(hr("a", 0.70, 0.60, 0.82)), mid);
        assertThat(ConclusionRules.shifts(inconclusive, important, mid, Hysteresis.DEFAULT)).containsExactly(ShiftType.MID_CROSSING);
        assertThat(important.statement()).contains("beyond the minimal important difference 0.90");
    }

    @Test
    void reachingFirmSequentialEvidenceIsAShift() {
        Conclusion c = ConclusionRules.conclude(pool(hr("a", 0.70, 0.55, 0.89)), HR_FIXED);
        Conclusion before = c.withSequential(org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis.Status.NOT_YET_CONCLUSIVE);
        Conclusion after = c.withSequential(org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis.Status.FIRM_EVIDENCE_OF_EFFECT);

        assertThat(ConclusionRules.shifts(before, after, HR_FIXED, Hysteresis.DEFAULT)).containsExactly(ShiftType.SEQUENTIAL_BOUNDARY_CROSSED);
        assertThat(ConclusionRules.shifts(after, after, HR_FIXED, Hysteresis.DEFAULT)).isEmpty();
    }

    @Test
    void certaintyStartsFromTheDesignsAndIsDowngradedForEachConcern() {
        Conclusion precise = ConclusionRules.conclude(pool(hr("a", 0.70, 0.60, 0.82)), HR_FIXED);
        Conclusion imprecise = ConclusionRules.conclude(pool(hr("a", 0.90, 0.70, 1.15)), HR_FIXED);

        Certainty rcts = CertaintyRules.rate(precise, new CertaintyRules.Evidence(1, 0, 0, null, null));
        Certainty rctsImprecise = CertaintyRules.rate(imprecise, new CertaintyRules.Evidence(1, 0, 0, 80.0, null));
        Certainty observational = CertaintyRules.rate(imprecise, new CertaintyRules.Evidence(0, 1, 0, 80.0, null));
        Certainty unknown = CertaintyRules.rate(precise, new CertaintyRules.Evidence(0, 0, 1, null, null));

        assertThat(rcts.level()).isEqualTo(Certainty.Level.HIGH);
        assertThat(rcts.reasons()).isEmpty();
        assertThat(rctsImprecise.level()).isEqualTo(Certainty.Level.LOW);
        assertThat(rctsImprecise.reasons()).containsExactly("inconsistency: I² = 80%", "imprecision: the interval includes no effect");
        assertThat(observational.level()).isEqualTo(Certainty.Level.VERY_LOW);
        assertThat(unknown.level()).isEqualTo(Certainty.Level.LOW);
        assertThat(unknown.reasons().get(0)).contains("unrecorded design");

        assertThat(ConclusionRules.shifts(precise.withCertainty(rcts), precise.withCertainty(unknown), HR_FIXED, Hysteresis.DEFAULT))
                .containsExactly(ShiftType.CERTAINTY_CHANGE);
    }

    @Test
    void aCertaintyChangeCausedOnlyByAHoveringPValueIsNotAShift() {
        Conclusion base = ConclusionRules.conclude(pool(hr("a", 0.80, 0.65, 0.98)), HR_FIXED);
        Certainty high = new Certainty(Certainty.Level.HIGH, java.util.List.of());
        Certainty moderate = new Certainty(Certainty.Level.MODERATE, java.util.List.of("imprecision: the interval includes no effect"));
        Conclusion justSignificant = withP(base, 0.049, true).withCertainty(high);
        Conclusion justNot = withP(base, 0.051, false).withCertainty(moderate);
        Conclusion clearlyNot = withP(base, 0.09, false).withCertainty(moderate);

        assertThat(ConclusionRules.shifts(justSignificant, justNot, HR_FIXED, Hysteresis.DEFAULT)).isEmpty();
        assertThat(ConclusionRules.shifts(justSignificant, clearlyNot, HR_FIXED, Hysteresis.DEFAULT))
                .containsExactly(ShiftType.SIGNIFICANCE_FLIP, ShiftType.CERTAINTY_CHANGE);
    }
}
