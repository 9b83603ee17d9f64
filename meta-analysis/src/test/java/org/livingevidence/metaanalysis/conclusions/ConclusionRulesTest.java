package org.livingevidence.metaanalysis.conclusions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.pooling.InverseVariancePooling;
import org.livingevidence.metaanalysis.pooling.MetaAnalysisResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

class ConclusionRulesTest {

    private static final QuestionFrame HR_FIXED = new QuestionFrame("HR", true, true, false, 0.05);
    private static final QuestionFrame HR_RANDOM = new QuestionFrame("HR", true, true, true, 0.05);

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
}
