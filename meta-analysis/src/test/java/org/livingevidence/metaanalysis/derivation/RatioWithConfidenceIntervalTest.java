package org.livingevidence.metaanalysis.derivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatioWithConfidenceIntervalTest {

    @Test
    void shien2025NinetyPercentIntervalUsesTheNinetyPercentQuantile() {
        // JCOG1017 (Br J Cancer 2025): OS HR 0.86, 90% CI 0.69-1.07.
        DerivedEffect effect = RatioWithConfidenceInterval.derive(0.86, 0.69, 1.07, 0.90);

        assertThat(effect.estimate()).isCloseTo(Math.log(0.86), within(1e-15));
        // (ln 1.07 - ln 0.69) / (2 x 1.6448536269514722)
        assertThat(effect.standardError()).isCloseTo(0.1333621188767305, within(1e-12));
        assertThat(effect.approximate()).isFalse();
        assertThat(effect.warnings()).isEmpty();
        assertThat(effect.method()).contains("90%");
    }

    @Test
    void shien2025LocalRelapseFreeSurvivalWithNinetyFivePercentInterval() {
        // Same trial, LRFS: HR 0.42, 95% CI 0.33-0.53.
        DerivedEffect effect = RatioWithConfidenceInterval.derive(0.42, 0.33, 0.53, 0.95);

        assertThat(effect.standardError()).isCloseTo((Math.log(0.53) - Math.log(0.33)) / (2 * 1.959963984540054), within(1e-12));
    }

    @Test
    void warnsWhenTheEstimateIsFarFromTheLogMidpoint() {
        DerivedEffect effect = RatioWithConfidenceInterval.derive(0.95, 0.60, 1.00, 0.95);

        assertThat(effect.warnings()).singleElement().asString().contains("log-midpoint");
    }

    @Test
    void rejectsFiguresThatCannotBeRightNamingTheField() {
        assertField(() -> RatioWithConfidenceInterval.derive(1.2, 0.69, 1.07, 0.95), "estimate");
        assertField(() -> RatioWithConfidenceInterval.derive(0.86, 1.07, 0.69, 0.95), "upper");
        assertField(() -> RatioWithConfidenceInterval.derive(-0.86, 0.69, 1.07, 0.95), "estimate");
        assertField(() -> RatioWithConfidenceInterval.derive(0.86, 0, 1.07, 0.95), "lower");
        assertField(() -> RatioWithConfidenceInterval.derive(0.86, 0.69, 1.07, 95), "ciLevel");
        assertField(() -> RatioWithConfidenceInterval.derive(0.86, 0.69, Double.POSITIVE_INFINITY, 0.95), "upper");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidReportedFigures.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
