package org.livingevidence.analysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.metaanalysis.conclusions.Hysteresis;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;

/**
 * A shift's words cannot contradict themselves: the estimate just before is named as such, and the conclusion at the
 * last shift (what shifts are judged against), where it differs, as that.
 */
class ShiftDetectorTest {

    private static final QuestionFrame FRAME = QuestionFrame.comparative("HR", true, true, true, 0.05, null);
    private static final Hysteresis HYSTERESIS = new Hysteresis(0.1);

    /** The contract's example: Zou 2025 added to a non-significant single trial, now significant (HR 0.75, p = 0.016). */
    private static PooledEstimateComputed significantEstimate() throws Exception {
        try (InputStream example = ShiftDetectorTest.class.getResourceAsStream(
                "/org/livingevidence/contracts/examples/pooled-estimate-computed/v1/two-studies-fixed.json")) {
            ObjectNode json = (ObjectNode) EventJson.mapper().readTree(example);
            return EventJson.mapper().treeToValue(json, PooledEstimateComputed.class);
        }
    }

    private static Conclusion notSignificant(int k, double estimate, double lower, double upper, double p) {
        return new Conclusion(Conclusion.Direction.FAVOURS_INTERVENTION, false, AnalysisSettings.Model.FIXED, 0.05, k,
                estimate, lower, upper, p, "not significant", null, null, null);
    }

    @Test
    void theEstimateJustBeforeIsTheConclusionAtTheLastShift() throws Exception {
        PooledEstimateComputed estimate = significantEstimate();
        Conclusion before = notSignificant(1, 0.86, 0.66, 1.12, 0.26);

        ConclusionShifted shift = ShiftDetector.detect(before, before, estimate, FRAME, HYSTERESIS).orElseThrow();

        assertThat(shift.before()).isEqualTo(before);
        assertThat(shift.summary()).startsWith(String.format(java.util.Locale.ROOT,
                        "Pooled HR %.2f (95%% CI %.2f to %.2f, p ", estimate.conclusion().estimate(),
                        estimate.conclusion().ciLower(), estimate.conclusion().ciUpper()))
                .contains("), significant, favours the intervention, since ")
                .contains("; just before, it was 0.86 (95% CI 0.66 to 1.12, p = 0.26), not significant, favours the intervention.")
                .doesNotContain("last shift").doesNotContain("became");
    }

    @Test
    void theConclusionAtTheLastShiftThatIsNotTheEstimateJustBeforeIsNamedAsSuch() throws Exception {
        PooledEstimateComputed estimate = significantEstimate();
        Conclusion alerted = notSignificant(1, 0.90, 0.60, 1.35, 0.61);
        Conclusion justBefore = notSignificant(2, 0.88, 0.65, 1.18, 0.40);

        ConclusionShifted shift = ShiftDetector.detect(alerted, justBefore, estimate, FRAME, HYSTERESIS).orElseThrow();

        assertThat(shift.previous()).isEqualTo(alerted);
        assertThat(shift.before()).isEqualTo(justBefore);
        assertThat(shift.summary())
                .contains("; just before, it was 0.88 (95% CI 0.65 to 1.18, p = 0.40), not significant, favours the intervention.")
                .contains(" At the last shift (or the first estimate), which shifts are judged against, it was 0.90 (95% CI 0.60 to 1.35, "
                        + "p = 0.61), not significant, favours the intervention.");
    }

    @Test
    void withTheEstimateJustBeforeUnknownOnlyTheConclusionAtTheLastShiftIsNamed() throws Exception {
        Conclusion alerted = notSignificant(1, 0.90, 0.60, 1.35, 0.61);

        ConclusionShifted shift = ShiftDetector.detect(alerted, null, significantEstimate(), FRAME, HYSTERESIS).orElseThrow();

        assertThat(shift.before()).isNull();
        assertThat(shift.summary()).contains("; at the last shift (or the first estimate) it was 0.90 (95% CI 0.60 to 1.35, p = 0.61), "
                + "not significant, favours the intervention.").doesNotContain("just before");
    }
}
