package org.livingevidence.contracts.events;

import java.time.Instant;

/**
 * A new revision of a study's outcome record for a question. Revisions of a record are numbered from 1 without
 * gaps; a consumer keeps the highest it has seen and ignores older or repeated ones. A retraction is a revision
 * with status {@code RETRACTED}: the record leaves the analysis. {@code studyDesign} is null when not recorded.
 */
public record OutcomeRecordRevised(
        String recordId,
        String questionId,
        String studyId,
        long revision,
        RecordStatus status,
        String studyLabel,
        Integer publicationYear,
        ReportedOutcome reported,
        DerivedEffect derived,
        Instant revisedAt,
        String revisedBy,
        String reason,
        StudyDesign studyDesign) {

    public enum RecordStatus { ACTIVE, RETRACTED }
}
