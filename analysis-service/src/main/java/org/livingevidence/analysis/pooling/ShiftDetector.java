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
     *
     * @param before the conclusion of the estimate just before this one (null for none): the summary names it, and
     *               the baseline too where that differs, so that it never reads as if the baseline were the estimate
     *               just before
     */
    public static Optional<ConclusionShifted> detect(Conclusion previous, Conclusion before, PooledEstimateComputed estimate,
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
        String summary = summary(previous, before, estimate, frame);
        String robustness = estimate.robustnessInWords();
        if (!robustness.isEmpty()) {
            summary = summary + " " + robustness;
        }
        return Optional.of(new ConclusionShifted(estimate.questionId() + ":" + estimate.estimateVersion(),
                estimate.questionId(), estimate.estimateVersion(), types, previous, current, estimate.trigger(), summary,
                estimate.computedAt(), estimate.questionTitle(), estimate.questionTags(), estimate.allTriggers(), before));
    }

    /**
     * "Pooled HR 0.75 (95% CI 0.60 to 0.95, p = 0.016), significant, favours the intervention, since Zou 2025 was added;
     * just before, it was 0.86 (95% CI 0.66 to 1.12, p = 0.26), not significant, favours the intervention." Shifts are
     * judged against the conclusion at the last shift (or the question's first estimate), not against the estimate just
     * before: when the two differ (moves in between stayed within the hysteresis margin), a second sentence names it.
     */
    static String summary(Conclusion previous, Conclusion before, PooledEstimateComputed estimate, QuestionFrame frame) {
        String measure = estimate.effectMeasure() == org.livingevidence.contracts.events.EffectMeasure.PLO ? "proportion"
                : estimate.effectMeasure().name();
        StringBuilder summary = new StringBuilder()
                .append("Pooled ").append(measure).append(' ')
                .append(stated(estimate.conclusion(), frame)).append(", since ").append(cause(estimate));
        if (before == null) {
            // Not known (no estimate just before: the first after a retraction of every record, or an older projection).
            return summary.append("; at the last shift (or the first estimate) it was ").append(stated(previous, frame))
                    .append('.').toString();
        }
        summary.append("; just before, it was ").append(stated(before, frame)).append('.');
        if (!before.readsAs(previous)) {
            summary.append(" At the last shift (or the first estimate), which shifts are judged against, it was ")
                    .append(stated(previous, frame)).append('.');
        }
        return summary.toString();
    }

    private static String stated(Conclusion c, QuestionFrame frame) {
        return ConclusionRules.stated(EngineMapping.toEngine(c), frame);
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
}
