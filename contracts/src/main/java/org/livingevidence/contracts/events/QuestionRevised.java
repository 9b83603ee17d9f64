package org.livingevidence.contracts.events;

import java.time.Instant;

/** An evidence question as it stands after its latest revision (revision 1 is its definition). */
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
        String revisedBy) {

    public enum QuestionStatus { ACTIVE, ARCHIVED }
}
