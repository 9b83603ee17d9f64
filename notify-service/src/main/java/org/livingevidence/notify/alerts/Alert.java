package org.livingevidence.notify.alerts;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted.ShiftType;
import org.livingevidence.contracts.events.Trigger;

/**
 * The webhook body, in the Standard Webhooks shape {@code {type, timestamp, data}}: a sentence for people and the
 * structured change for programs.
 */
public record Alert(String type, Instant timestamp, Data data) {

    public static final String TYPE = "conclusion.shifted";

    public record Data(String questionId, String shiftId, long estimateVersion, List<ShiftType> shiftTypes,
                       String summary, Conclusion previous, Conclusion current, Trigger trigger, Links links) {
    }

    /** Where to read more. */
    public record Links(String estimate) {
    }
}
