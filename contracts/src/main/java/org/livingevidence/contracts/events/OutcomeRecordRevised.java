package org.livingevidence.contracts.events;

import java.time.Instant;

/**
 * A new revision of a study's outcome record for a question. Revisions of a record are numbered from 1 without
 * gaps; a consumer keeps the highest it has seen and ignores older or repeated ones. A retraction is a revision
 * with status {@code RETRACTED}: the record leaves the analysis. {@code studyDesign}, {@code subgroup},
 * {@code followUp} and {@code source} are null when not recorded.
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
        StudyDesign studyDesign,
        String subgroup,
        String followUp,
        SourceLocation source) {

    public enum RecordStatus { ACTIVE, RETRACTED }

    /** Where in the publication the figures were read (any of the three may be null). */
    public record SourceLocation(String page, String table, String quote) {
    }
}
