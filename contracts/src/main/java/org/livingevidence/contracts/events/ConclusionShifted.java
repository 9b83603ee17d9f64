package org.livingevidence.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * A question's conclusion changed in one or more ways subscribers care about. The first estimate of a question
 * has nothing to shift from and raises no shift.
 *
 * @param shiftId       stable id of this shift: redeliveries of the event carry the same id
 * @param questionTitle the question's title when the shift was computed (null in events from before it was added)
 * @param questionTags  the question's tags then, or null: consumers that follow tags need no other topic
 * @param triggers      every change the shifted estimate reflects, in order ({@code trigger} is the last); null in
 *                      events from before it was added
 * @param before        the conclusion of the estimate just before this one (estimateVersion - 1 as published), which
 *                      {@code previous} need not be; null for none, and in events from before it was added
 */
public record ConclusionShifted(
        String shiftId,
        String questionId,
        long estimateVersion,
        List<ShiftType> shiftTypes,
        Conclusion previous,
        Conclusion current,
        Trigger trigger,
        String summary,
        Instant occurredAt,
        String questionTitle,
        List<String> questionTags,
        List<Trigger> triggers,
        Conclusion before) {

    /** A shift without the estimate just before (as events from before it was added). */
    public ConclusionShifted(String shiftId, String questionId, long estimateVersion, List<ShiftType> shiftTypes,
                             Conclusion previous, Conclusion current, Trigger trigger, String summary, Instant occurredAt,
                             String questionTitle, List<String> questionTags, List<Trigger> triggers) {
        this(shiftId, questionId, estimateVersion, shiftTypes, previous, current, trigger, summary, occurredAt, questionTitle,
                questionTags, triggers, null);
    }

    /** A shift that follows one change, with nothing known of the estimate just before. */
    public ConclusionShifted(String shiftId, String questionId, long estimateVersion, List<ShiftType> shiftTypes,
                             Conclusion previous, Conclusion current, Trigger trigger, String summary, Instant occurredAt,
                             String questionTitle, List<String> questionTags) {
        this(shiftId, questionId, estimateVersion, shiftTypes, previous, current, trigger, summary, occurredAt, questionTitle,
                questionTags, trigger == null ? null : List.of(trigger), null);
    }

    public enum ShiftType {
        /** Statistically significant before and not now, or the reverse. */
        SIGNIFICANCE_FLIP,
        /** The point estimate moved to the other side of the null value. */
        DIRECTION_CHANGE,
        /** The interval moved across the question's minimal important difference. */
        MID_CROSSING,
        /** The automatic certainty rating moved up or down a level. */
        CERTAINTY_CHANGE,
        /** The trial sequential analysis reached firm evidence (a boundary, or the required information). */
        SEQUENTIAL_BOUNDARY_CROSSED
    }
}
