package org.livingevidence.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * An evidence question as it stands after a revision (revision 1 is its definition). {@code tags} is null when
 * there are none; {@code reason} is null on revision 1.
 */
public record QuestionRevised(
        String questionId,
        long revision,
        String title,
        Pico pico,
        EffectMeasure effectMeasure,
        BenefitDirection benefitDirection,
        AnalysisSettings settings,
        QuestionStatus status,
        Instant revisedAt,
        String revisedBy,
        List<String> tags,
        String reason) {

    public enum QuestionStatus { ACTIVE, ARCHIVED }
}
