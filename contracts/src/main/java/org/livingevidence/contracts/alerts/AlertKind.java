package org.livingevidence.contracts.alerts;

import org.livingevidence.contracts.events.ConclusionShifted.ShiftType;

/**
 * What a subscriber can ask to hear about: the conclusion shifts analysis-service publishes, and two changes of the
 * estimate itself that notify-service recognises in the pooled-estimate stream.
 */
public enum AlertKind {
    SIGNIFICANCE_FLIP,
    DIRECTION_CHANGE,
    MID_CROSSING,
    CERTAINTY_CHANGE,
    SEQUENTIAL_BOUNDARY_CROSSED,
    /** A study's record was added to the question (whatever it did to the conclusion). */
    NEW_STUDY,
    /** The pooled estimate moved by more than the subscription's {@code estimateMovedBy} since the subscriber was last told. */
    ESTIMATE_MOVED;

    /** The default: every conclusion shift, none of the estimate-level kinds (they fire far more often). */
    public static final java.util.List<AlertKind> CONCLUSION_SHIFTS = java.util.List.of(SIGNIFICANCE_FLIP,
            DIRECTION_CHANGE, MID_CROSSING, CERTAINTY_CHANGE, SEQUENTIAL_BOUNDARY_CROSSED);

    /** The kind of a published shift type; null for a type this version does not know. */
    public static AlertKind of(ShiftType type) {
        for (AlertKind kind : values()) {
            if (kind.name().equals(type.name())) {
                return kind;
            }
        }
        return null;
    }
}
