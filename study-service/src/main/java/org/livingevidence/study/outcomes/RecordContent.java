package org.livingevidence.study.outcomes;

import java.time.Instant;
import java.util.Optional;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.OutcomeRecordRevised.RecordStatus;
import org.livingevidence.contracts.events.OutcomeRecordRevised.SourceLocation;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.contracts.events.StudyRevised;

/**
 * What a curator states about one outcome of one study, as one value: every revision of a record is its identity,
 * its status, who and why, and this. The only place that builds {@link OutcomeRecordRevised}, by name.
 */
record RecordContent(String studyLabel, Integer publicationYear, ReportedOutcome reported, DerivedEffect derived,
                     StudyDesign studyDesign, String subgroup, String followUp, SourceLocation source) {

    /** A request's content; the cited study supplies the year and design the request leaves out. */
    static RecordContent of(OutcomeRecordRequest request, DerivedEffect derived, Optional<StudyRevised> study) {
        Integer year = request.publicationYear() != null ? request.publicationYear() : study.map(s -> s.citation().year()).orElse(null);
        StudyDesign design = request.studyDesign() != null ? request.studyDesign() : study.map(StudyRevised::design).orElse(null);
        return new RecordContent(request.studyLabel().strip(), year, request.reported(), derived, design, request.subgroupOrNull(),
                request.followUp(), request.source());
    }

    static RecordContent of(OutcomeRecordRevised revision) {
        return new RecordContent(revision.studyLabel(), revision.publicationYear(), revision.reported(), revision.derived(),
                revision.studyDesign(), revision.subgroup(), revision.followUp(), revision.source());
    }

    /** Revision 1 of a new record. */
    OutcomeRecordRevised first(String recordId, String questionId, String studyId, Instant at, String by, String reason) {
        return revision(recordId, questionId, studyId, 1, RecordStatus.ACTIVE, at, by, reason);
    }

    /** The revision after {@code current}, with this content. */
    OutcomeRecordRevised after(OutcomeRecordRevised current, RecordStatus status, Instant at, String by, String reason) {
        return revision(current.recordId(), current.questionId(), current.studyId(), current.revision() + 1, status, at, by, reason);
    }

    private OutcomeRecordRevised revision(String recordId, String questionId, String studyId, long revision, RecordStatus status,
                                          Instant at, String by, String reason) {
        return new OutcomeRecordRevised(recordId, questionId, studyId, revision, status, studyLabel, publicationYear, reported,
                derived, at, by, reason, studyDesign, subgroup, followUp, source);
    }
}
