package org.livingevidence.metaanalysis.derivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.derivation.ReportedPValue.Relation;
import org.livingevidence.metaanalysis.derivation.ReportedPValue.Sidedness;

/** Figures that cannot be right are refused, naming the field. */
class InconsistentFiguresTest {

    private static void refused(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidReportedFigures.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void pValuesOutsideZeroToOne() {
        refused(() -> new ReportedPValue(0, Relation.EQUAL, Sidedness.TWO_SIDED, "pValue"), "pValue");
        refused(() -> new ReportedPValue(1.2, Relation.EQUAL, Sidedness.TWO_SIDED, "pValue"), "pValue");
        refused(() -> new ReportedPValue(0.7, Relation.EQUAL, Sidedness.ONE_SIDED, "pValue"), "pValue");
        refused(() -> RatioWithPValue.derive(0.9, new ReportedPValue(1, Relation.EQUAL, Sidedness.TWO_SIDED, "pValue")), "pValue");
        refused(() -> RatioWithPValue.derive(1.0, new ReportedPValue(0.5, Relation.EQUAL, Sidedness.TWO_SIDED, "pValue")), "estimate");
    }

    @Test
    void eventsAboveTotalsAndNegativeCounts() {
        refused(() -> TwoByTwoTable.derive(TwoByTwoTable.Measure.RR, 12, 10, 3, 20), "eventsIntervention");
        refused(() -> TwoByTwoTable.derive(TwoByTwoTable.Measure.OR, 2, 10, -1, 20), "eventsComparator");
        refused(() -> TwoByTwoTable.derive(TwoByTwoTable.Measure.RR, 0, 10, 0, 20), "eventsIntervention");
        refused(() -> SingleArmProportion.derive(SingleArmProportion.Transform.LOGIT, 48, 47), "events");
        refused(() -> SingleArmProportion.derive(SingleArmProportion.Transform.LOGIT, 2.5, 47), "events");
    }

    @Test
    void survivalMediansAndMeans() {
        refused(() -> MedianSurvival.derive(-3, 25, null, 10.0, 12.0), "medianIntervention");
        refused(() -> MedianSurvival.derive(36, 25, null, null, null), "eventsIntervention");
        refused(() -> SurvivalAtTimepoint.derive(74, 0.30, null, 10.0, 12.0), "survivalIntervention");
        refused(() -> MeansAndStandardDeviations.derive(MeansAndStandardDeviations.Measure.SMD, 1, -1, 20, 0, 1, 20), "sdIntervention");
        refused(() -> MeansAndStandardDeviations.derive(MeansAndStandardDeviations.Measure.MD, 1, 1, 1, 0, 1, 20), "nIntervention");
    }

    @Test
    void eventsGiveTheVarianceWhenThereIsNoPValue() {
        DerivedEffect effect = MedianSurvival.derive(36, 25, null, 40.0, 55.0);

        assertThat(effect.standardError()).isEqualTo(Math.sqrt(1 / 40.0 + 1 / 55.0));
        assertThat(effect.approximate()).isTrue();
    }
}
