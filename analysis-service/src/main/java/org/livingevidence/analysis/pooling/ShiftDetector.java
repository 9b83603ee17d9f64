package org.livingevidence.analysis.pooling;

import java.util.List;
import java.util.Optional;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.metaanalysis.conclusions.ConclusionRules;
import org.livingevidence.metaanalysis.conclusions.Hysteresis;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;

/** Decides whether a new estimate shifts the last published conclusion, and describes the shift for people. */
public final class ShiftDetector {

    private ShiftDetector() {
    }

    /**
     * The shift from {@code previous} (the baseline subscribers were last told of) to the estimate's conclusion,
     * if any, beyond the hysteresis margin. The first conclusion of a question has nothing to shift from.
     */
    public static Optional<ConclusionShifted> detect(Conclusion previous, PooledEstimateComputed estimate,
                                                     QuestionFrame frame, Hysteresis hysteresis) {
        if (previous == null) {
            return Optional.empty();
        }
        Conclusion current = estimate.conclusion();
        List<ConclusionShifted.ShiftType> types = ConclusionRules.shifts(EstimateCalculator.toEngine(previous),
                        EstimateCalculator.toEngine(current), frame, hysteresis).stream()
                .map(t -> ConclusionShifted.ShiftType.valueOf(t.name())).sorted().toList();
        if (types.isEmpty()) {
            return Optional.empty();
        }
        String measure = estimate.effectMeasure().name();
        String summary = capitalize(ConclusionRules.brief(EstimateCalculator.toEngine(previous), measure)) + ", became "
                + ConclusionRules.brief(EstimateCalculator.toEngine(current), measure).replaceFirst("^pooled \\S+ ", "")
                + ", after " + cause(estimate) + ".";
        return Optional.of(new ConclusionShifted(estimate.questionId() + ":" + estimate.estimateVersion(),
                estimate.questionId(), estimate.estimateVersion(), types, previous, current, estimate.trigger(), summary,
                estimate.computedAt(), estimate.questionTitle(), estimate.questionTags()));
    }

    private static String cause(PooledEstimateComputed estimate) {
        var trigger = estimate.trigger();
        if ("QUESTION".equals(trigger.kind())) {
            return "the question's settings were revised";
        }
        return switch (trigger.change()) {
            case "ADDED" -> trigger.label() + " was added";
            case "RETRACTED" -> trigger.label() + " was retracted";
            default -> trigger.label() + " was revised";
        };
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
