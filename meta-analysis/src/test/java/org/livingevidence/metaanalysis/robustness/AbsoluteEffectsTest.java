package org.livingevidence.metaanalysis.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AbsoluteEffectsTest {

    /** A GRADE summary-of-findings row: 200 per 1,000 at baseline and a risk ratio of 0.81 (0.69 to 0.95). */
    @Test
    void aRiskRatioMovesTheBaselineRiskProportionally() {
        AbsoluteEffects.AbsoluteEffect e = AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0.2, 0.81, 0.69, 0.95);
        assertThat(e.comparatorPer1000()).isCloseTo(200, within(1e-9));
        assertThat(e.interventionPer1000()).isCloseTo(162, within(1e-9));
        assertThat(e.differencePer1000()).isCloseTo(-38, within(1e-9));
        assertThat(e.differenceLowerPer1000()).isCloseTo(-62, within(1e-9));
        assertThat(e.differenceUpperPer1000()).isCloseTo(-10, within(1e-9));
    }

    @Test
    void oddsHazardAndRiskDifferenceUseTheirOwnConversions() {
        // OR 0.5 at a baseline of 0.2: odds 0.25 halve to 0.125, a risk of 0.125 / 1.125
        assertThat(AbsoluteEffects.risk(AbsoluteEffects.Measure.OR, 0.2, 0.5)).isCloseTo(0.125 / 1.125, within(1e-15));
        // HR 0.5 at a 5-year risk of 0.36: survival 0.64 becomes 0.64^0.5 = 0.8
        assertThat(AbsoluteEffects.risk(AbsoluteEffects.Measure.HR, 0.36, 0.5)).isCloseTo(0.2, within(1e-15));
        assertThat(AbsoluteEffects.risk(AbsoluteEffects.Measure.RD, 0.36, -0.1)).isCloseTo(0.26, within(1e-15));
        // risks stay risks however large the ratio
        assertThat(AbsoluteEffects.risk(AbsoluteEffects.Measure.RR, 0.6, 3)).isEqualTo(1);
        assertThat(AbsoluteEffects.of(AbsoluteEffects.Measure.HR, 0.36, 0.5, 0.4, 0.7).differenceLowerPer1000())
                .isLessThan(AbsoluteEffects.of(AbsoluteEffects.Measure.HR, 0.36, 0.5, 0.4, 0.7).differenceUpperPer1000());
    }

    @Test
    void aBaselineRiskOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 1.2, 0.8, 0.7, 0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0, 0.8, 0.7, 0.9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void studySizesFollowTheLargeSampleVariances() {
        assertThat(NewStudySize.hazardRatio(0.1).events()).isCloseTo(400, within(1e-9));
        NewStudySize.Size rr = NewStudySize.binary(NewStudySize.Measure.RR, 0.2, 0.2, 0.1);
        // var(log RR) = 2 (1 - 0.2) / (0.2 n) = 8 / n = 0.01: 800 per arm
        assertThat(rr.participants()).isCloseTo(1600, within(1e-9));
        assertThat(rr.events()).isCloseTo(320, within(1e-9));
    }
}
