package org.livingevidence.study.outcomes;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.OutcomeRecordRevised.RecordStatus;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.contracts.events.StudyRevised;
import org.livingevidence.study.Attribution;
import org.livingevidence.study.Ids;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.study.revisions.ETags;
import org.livingevidence.study.revisions.IdempotencyKeys;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.study.studies.StudyRepository;
import org.livingevidence.support.derivation.ReportedOutcomeDerivation;
import org.livingevidence.support.problems.InputProblem;

/**
 * The rules of entering, revising and retracting outcome records, shared by the REST endpoints and bulk import.
 * Figures are derived with the analysis engine's own derivation before anything is stored, so a curator learns at
 * once that a CI does not contain its estimate.
 */
@Singleton
public class OutcomeRecordEntry {

    private final QuestionRepository questions;
    private final StudyRepository studies;
    private final OutcomeRecordRepository records;
    private final Clock clock;

    OutcomeRecordEntry(QuestionRepository questions, StudyRepository studies, OutcomeRecordRepository records, Clock clock) {
        this.questions = questions;
        this.studies = studies;
        this.records = records;
        this.clock = clock;
    }

    /**
     * @param keyOwner whose keys {@code idempotencyKey} is unique among: the curator for API calls; one shared
     *                 owner for imports, so the same row uploaded by anyone is the same record
     */
    public RevisionedCollection.Created<OutcomeRecordRevised> add(String questionId, OutcomeRecordRequest request,
                                                                  Authentication curator, String idempotencyKey, String keyOwner) {
        QuestionRevised question = questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON outcome record is required");
        }
        request.validate(question.effectMeasure());
        if (question.status() == QuestionRevised.QuestionStatus.ARCHIVED) {
            throw InputProblem.conflict("questionId", "question " + questionId + " is archived: it takes no new records");
        }
        DerivedEffect derived = ReportedOutcomeDerivation.derive(request.reported());
        String recordId = IdempotencyKeys.entityId("r_", idempotencyKey, keyOwner,
                "questions/" + questionId + "/outcome-records", Ids::newRecordId);
        Optional<StudyRevised> study = request.studyId() == null ? Optional.empty() : studies.find(request.studyId());
        if (request.studyId() != null && study.isEmpty()) {
            throw InputProblem.invalid("studyId", "no study " + request.studyId() + " is registered: register the publication first "
                    + "(POST /api/v1/studies) and cite the id it gets, or leave studyId out for a study of its own");
        }
        if (study.filter(st -> st.status() == StudyRevised.StudyStatus.RETRACTED).isPresent()) {
            throw InputProblem.conflict("studyId", "study " + request.studyId() + " is retracted: its results no longer count");
        }
        String studyId = request.studyId() == null ? Ids.newStudyId() : request.studyId();
        requireTrialNotCounted(questionId, recordId, studyId, study, request.subgroupOrNull());
        if (questions.activeRecords(questionId) >= FieldLimits.RECORDS_PER_QUESTION) {
            throw InputProblem.conflict("questionId", "question " + questionId + " holds " + FieldLimits.RECORDS_PER_QUESTION
                    + " active records, the most one question takes; retract records or split the question");
        }
        OutcomeRecordRevised record = new OutcomeRecordRevised(recordId, questionId, studyId, 1, RecordStatus.ACTIVE,
                request.studyLabel().strip(), year(request, study), request.reported(), derived, clock.instant(),
                Attribution.of(curator), request.reasonOrNull(), design(request, study), request.subgroupOrNull(),
                request.followUp(), request.source());
        RevisionedCollection.Created<OutcomeRecordRevised> created;
        try {
            created = records.revisions().create(recordId, record, IdempotencyKeys.of(idempotencyKey, request));
        } catch (RevisionedCollection.UniqueViolation e) {
            throw alreadyCounted(studyId, request.subgroupOrNull(), null);
        }
        if (!created.replayed()) {
            questions.countRecords(questionId, 1);
        }
        return created;
    }

    public OutcomeRecordRevised revise(String recordId, OutcomeRecordRequest request, String ifMatch, Authentication curator) {
        OutcomeRecordRevised current = records.find(recordId).orElseThrow(() -> InputProblem.notFound("outcome record", recordId));
        ETags.requireCurrent(ifMatch, "outcome record", recordId, current.revision());
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON outcome record is required");
        }
        if (current.status() == RecordStatus.RETRACTED) {
            throw InputProblem.conflict("status", "outcome record " + recordId + " is retracted; enter a new record instead");
        }
        QuestionRevised question = questions.find(current.questionId())
                .orElseThrow(() -> InputProblem.notFound("question", current.questionId()));
        request.validateRevisionOf(current, question.effectMeasure());
        DerivedEffect derived = ReportedOutcomeDerivation.derive(request.reported());
        Optional<StudyRevised> study = studies.find(current.studyId());
        requireTrialNotCounted(current.questionId(), recordId, current.studyId(), study, request.subgroupOrNull());
        OutcomeRecordRevised next = new OutcomeRecordRevised(recordId, current.questionId(), current.studyId(),
                current.revision() + 1, RecordStatus.ACTIVE, request.studyLabel().strip(), year(request, study),
                request.reported(), derived, clock.instant(), Attribution.of(curator), request.reasonOrNull(),
                design(request, study), request.subgroupOrNull(), request.followUp(), request.source());
        try {
            return records.revisions().revise(recordId, current, next);
        } catch (RevisionedCollection.UniqueViolation e) {
            throw alreadyCounted(current.studyId(), request.subgroupOrNull(), null);
        }
    }

    public OutcomeRecordRevised retract(String recordId, String reason, String ifMatch, Authentication curator) {
        OutcomeRecordRevised current = records.find(recordId).orElseThrow(() -> InputProblem.notFound("outcome record", recordId));
        ETags.requireCurrent(ifMatch, "outcome record", recordId, current.revision());
        if (reason == null || reason.isBlank()) {
            throw InputProblem.invalid("reason", "is required: say why the record is retracted");
        }
        if (current.status() == RecordStatus.RETRACTED) {
            throw InputProblem.conflict("status", "outcome record " + recordId + " is already retracted");
        }
        return retract(current, reason.strip(), Attribution.of(curator));
    }

    /** Retracts {@code current}, conditional on it still being the current revision (412 otherwise). */
    OutcomeRecordRevised retract(OutcomeRecordRevised current, String reason, String by) {
        OutcomeRecordRevised next = new OutcomeRecordRevised(current.recordId(), current.questionId(), current.studyId(),
                current.revision() + 1, RecordStatus.RETRACTED, current.studyLabel(), current.publicationYear(),
                current.reported(), current.derived(), clock.instant(), by, reason,
                current.studyDesign(), current.subgroup(), current.followUp(), current.source());
        OutcomeRecordRevised stored = records.revisions().revise(current.recordId(), current, next);
        questions.countRecords(current.questionId(), -1);
        return stored;
    }

    /**
     * One trial counts once per question (and subgroup): a record from any publication of the same trial that is
     * already active for the question is refused, naming the record that counts it. A record without a registered
     * study is a trial of its own; the unique slot index refuses the same study twice even when curators race.
     */
    private void requireTrialNotCounted(String questionId, String recordId, String studyId, Optional<StudyRevised> study,
                                        String subgroup) {
        java.util.Set<String> trial = study.isPresent() ? studies.sameTrial(studyId, study) : java.util.Set.of(studyId);
        records.activeFromStudies(questionId, trial, subgroup).stream()
                .filter(r -> !r.recordId().equals(recordId))
                .findFirst().ifPresent(r -> {
                    throw alreadyCounted(r.studyId(), subgroup, r.recordId());
                });
    }

    private static InputProblem alreadyCounted(String studyId, String subgroup, String recordId) {
        return InputProblem.conflict("studyId", "the trial is already counted for this question by "
                + (recordId == null ? "an active outcome record" : "outcome record " + recordId)
                + " (study " + studyId + (subgroup == null ? "" : ", subgroup " + subgroup)
                + "); revise or retract that record, or enter a different subgroup");
    }

    private static Integer year(OutcomeRecordRequest request, Optional<StudyRevised> study) {
        return request.publicationYear() != null ? request.publicationYear()
                : study.map(s -> s.citation().year()).orElse(null);
    }

    private static StudyDesign design(OutcomeRecordRequest request, Optional<StudyRevised> study) {
        return request.studyDesign() != null ? request.studyDesign() : study.map(StudyRevised::design).orElse(null);
    }
}
