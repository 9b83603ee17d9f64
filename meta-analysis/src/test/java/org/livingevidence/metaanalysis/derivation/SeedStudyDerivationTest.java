package org.livingevidence.metaanalysis.derivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.derivation.ReportedPValue.Relation;
import org.livingevidence.metaanalysis.derivation.ReportedPValue.Sidedness;

/**
 * Every seed abstract in shared/seeds derives, with the numbers asserted. Expected values were computed
 * independently (Python's statistics.NormalDist) from the papers' figures.
 */
class SeedStudyDerivationTest {

    private static ReportedPValue p(double value, Relation relation, Sidedness sidedness) {
        return new ReportedPValue(value, relation, sidedness, "pValue");
    }

    @Test
    void shien2025OneSidedPGivesTheSameSeAsItsNinetyPercentInterval() {
        // JCOG1017: OS HR 0.86, 90% CI 0.69-1.07, one-sided p = 0.13.
        DerivedEffect fromP = RatioWithPValue.derive(0.86, p(0.13, Relation.EQUAL, Sidedness.ONE_SIDED));
        DerivedEffect fromCi = RatioWithConfidenceInterval.derive(0.86, 0.69, 1.07, 0.90);

        assertThat(fromP.standardError()).isCloseTo(0.13389921657434176, within(1e-12));
        assertThat(fromP.standardError()).isCloseTo(fromCi.standardError(), within(0.001));
        assertThat(fromP.assumptions()).anySatisfy(a -> assertThat(a).contains("one-sided p was doubled"));
    }

    @Test
    void zou2025HazardRatiosWithPValuesOnly() {
        // Ablation plus systemic therapy: HR 0.48, p = .003; with extrahepatic metastases HR 0.58, p = .047.
        DerivedEffect main = RatioWithPValue.derive(0.48, p(0.003, Relation.EQUAL, Sidedness.TWO_SIDED));
        DerivedEffect extrahepatic = RatioWithPValue.derive(0.58, p(0.047, Relation.EQUAL, Sidedness.TWO_SIDED));

        assertThat(main.estimate()).isCloseTo(Math.log(0.48), within(1e-15));
        assertThat(main.standardError()).isCloseTo(0.2473160344829536, within(1e-12));
        assertThat(extrahepatic.standardError()).isCloseTo(0.27424211824033906, within(1e-12));
        assertThat(main.approximate()).isFalse();
        assertThat(main.standardErrorIsUpperBound()).isFalse();
    }

    @Test
    void tareVersusTaceMediansWithAPValue() {
        // TriNetX cohort: median OS 36 months after TARE vs 25 after TACE, p = 0.04.
        DerivedEffect effect = MedianSurvival.derive(36, 25, p(0.04, Relation.EQUAL, Sidedness.TWO_SIDED), null, null);

        assertThat(effect.estimate()).isCloseTo(-0.3646431135879093, within(1e-12));
        assertThat(Math.exp(effect.estimate())).isCloseTo(25.0 / 36, within(1e-12));
        assertThat(effect.standardError()).isCloseTo(0.1775499973245168, within(1e-12));
        assertThat(effect.approximate()).isTrue();
        assertThat(effect.assumptions()).anySatisfy(a -> assertThat(a).contains("exponential"));
    }

    @Test
    void surgeryVersusIntraArterialTherapyMediansAndFiveYearSurvivalWithPBelowABound() {
        // NELM: median 123 vs 34 months, 5-year survival 74% vs 30%, P < 0.001.
        ReportedPValue bound = p(0.001, Relation.LESS_THAN, Sidedness.TWO_SIDED);
        DerivedEffect medians = MedianSurvival.derive(123, 34, bound, null, null);
        DerivedEffect fiveYear = SurvivalAtTimepoint.derive(0.74, 0.30, bound, null, null);

        assertThat(medians.estimate()).isCloseTo(-1.2858238307562562, within(1e-12));
        assertThat(medians.standardError()).isCloseTo(0.3907653502554174, within(1e-12));
        assertThat(medians.standardErrorIsUpperBound()).isTrue();
        assertThat(medians.warnings()).anySatisfy(w -> assertThat(w).contains("upper bound"));
        assertThat(fiveYear.estimate()).isCloseTo(-1.3859226885711866, within(1e-12));
        assertThat(fiveYear.standardError()).isCloseTo(0.42118566468621543, within(1e-12));
        assertThat(fiveYear.approximate()).isTrue();
    }

    @Test
    void mdrtSingleArmProportion28Of47() {
        // Oligoprogressive MBC: 28 of 47 remained on the same systemic therapy at 6 months.
        DerivedEffect logit = SingleArmProportion.derive(SingleArmProportion.Transform.LOGIT, 28, 47);

        assertThat(logit.estimate()).isCloseTo(Math.log(28.0 / 19), within(1e-15));
        assertThat(logit.standardError() * logit.standardError()).isCloseTo(1.0 / 28 + 1.0 / 19, within(1e-15));
        assertThat(SingleArmProportion.inverseLogit(logit.estimate())).isCloseTo(28.0 / 47, within(1e-15));
    }
}
