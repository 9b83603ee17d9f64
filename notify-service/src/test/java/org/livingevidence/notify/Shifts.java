package org.livingevidence.notify;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.Trigger;

/** The conclusion shift the notify tests publish: a significance flip after Study B was added. */
final class Shifts {

    static final String SUMMARY =
            "Pooled HR 0.74 (95% CI 0.62 to 0.88, p < 0.001), significant, favours the intervention, since Study B was added; "
                    + "just before, it was 0.80 (95% CI 0.60 to 1.07, p = 0.13), not significant, favours the intervention.";

    private Shifts() {
    }

    static ConclusionShifted significanceFlip(String questionId) {
        return significanceFlip(questionId, 2);
    }

    static ConclusionShifted significanceFlip(String questionId, long estimateVersion) {
        Conclusion before = new Conclusion(Conclusion.Direction.FAVOURS_INTERVENTION, false, AnalysisSettings.Model.RANDOM, 0.05, 1, 0.80, 0.60,
                1.07, 0.13, "before", null, null, null);
        Conclusion after = new Conclusion(Conclusion.Direction.FAVOURS_INTERVENTION, true, AnalysisSettings.Model.RANDOM, 0.05, 2, 0.74, 0.62,
                0.88, 0.0006, "after", null, null, null);
        return new ConclusionShifted(questionId + ":" + estimateVersion, questionId, estimateVersion,
                List.of(ConclusionShifted.ShiftType.SIGNIFICANCE_FLIP), before, after,
                new Trigger(Trigger.Kind.OUTCOME_RECORD, "r_b", 1, "Study B", Trigger.Change.ADDED), SUMMARY, Instant.now(), null, null);
    }
}
