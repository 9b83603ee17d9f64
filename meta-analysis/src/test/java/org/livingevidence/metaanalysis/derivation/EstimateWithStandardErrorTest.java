package org.livingevidence.metaanalysis.derivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EstimateWithStandardErrorTest {

    @Test
    void aRatioIsPooledAsItsLogWithTheReportedStandardError() {
        DerivedEffect effect = EstimateWithStandardError.derive(true, 0.48, 0.2473);
        assertThat(effect.estimate()).isEqualTo(Math.log(0.48));
        assertThat(effect.standardError()).isEqualTo(0.2473);
        assertThat(effect.approximate()).isFalse();
        assertThat(effect.method()).contains("generic inverse variance");
    }

    @Test
    void aDifferenceIsPooledAsReported() {
        DerivedEffect effect = EstimateWithStandardError.derive(false, -1.5, 1.676);
        assertThat(effect.estimate()).isEqualTo(-1.5);
        assertThat(effect.standardError()).isEqualTo(1.676);
    }

    @Test
    void impossibleFiguresNameTheirField() {
        assertThatThrownBy(() -> EstimateWithStandardError.derive(true, 0, 0.1)).isInstanceOf(InvalidReportedFigures.class)
                .extracting(e -> ((InvalidReportedFigures) e).field()).isEqualTo("estimate");
        assertThatThrownBy(() -> EstimateWithStandardError.derive(true, -0.5, 0.1)).isInstanceOf(InvalidReportedFigures.class);
        assertThatThrownBy(() -> EstimateWithStandardError.derive(false, Double.NaN, 0.1)).isInstanceOf(InvalidReportedFigures.class)
                .extracting(e -> ((InvalidReportedFigures) e).field()).isEqualTo("estimate");
        for (double se : new double[] {0, -0.1, Double.POSITIVE_INFINITY, Double.NaN}) {
            assertThatThrownBy(() -> EstimateWithStandardError.derive(false, 0.2, se)).isInstanceOf(InvalidReportedFigures.class)
                    .extracting(e -> ((InvalidReportedFigures) e).field()).isEqualTo("standardError");
        }
    }
}
