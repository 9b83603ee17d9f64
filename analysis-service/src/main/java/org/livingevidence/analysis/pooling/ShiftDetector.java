package org.livingevidence.analysis.pooling;

import java.util.List;
import java.util.Optional;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.Trigger;
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
        List<ConclusionShifted.ShiftType> types = ConclusionRules.shifts(EngineMapping.toEngine(previous),
                        EngineMapping.toEngine(current), frame, hysteresis).stream()
                .map(t -> ConclusionShifted.ShiftType.valueOf(t.name())).sorted().toList();
        if (types.isEmpty()) {
            return Optional.empty();
        }
        String measure = estimate.effectMeasure().name();
        String summary = capitalize(ConclusionRules.brief(EngineMapping.toEngine(previous), measure)) + ", became "
                + ConclusionRules.brief(EngineMapping.toEngine(current), measure).replaceFirst("^pooled \\S+ ", "")
                + ", after " + cause(estimate) + ".";
        String robustness = estimate.robustnessInWords();
        if (!robustness.isEmpty()) {
            summary = summary + " " + robustness;
        }
        return Optional.of(new ConclusionShifted(estimate.questionId() + ":" + estimate.estimateVersion(),
                estimate.questionId(), estimate.estimateVersion(), types, previous, current, estimate.trigger(), summary,
                estimate.computedAt(), estimate.questionTitle(), estimate.questionTags(), estimate.allTriggers()));
    }

    private static String cause(PooledEstimateComputed estimate) {
        List<Trigger> all = estimate.allTriggers();
        String last = describe(all.get(all.size() - 1));
        if (all.size() == 1) {
            return last;
        }
        long added = all.stream().filter(Trigger::addsRecord).count();
        return all.size() + " changes" + (added > 0 ? " (" + added + " records added)" : "") + ", the last: " + last;
    }

    private static String describe(Trigger trigger) {
        if (trigger.kind() == Trigger.Kind.QUESTION) {
            return "the question's settings were revised";
        }
        return switch (trigger.change()) {
            case ADDED -> trigger.label() + " was added";
            case RETRACTED -> trigger.label() + " was retracted";
            case REVISED -> trigger.label() + " was revised";
        };
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
