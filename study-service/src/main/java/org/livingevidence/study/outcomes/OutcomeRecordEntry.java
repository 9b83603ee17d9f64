package org.livingevidence.study.outcomes;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.OutcomeRecordRevised.RecordStatus;
import org.livingevidence.contracts.events.QuestionRevised;
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
import org.livingevidence.support.outbox.Outbox;

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
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON outcome record is required");
        }
        Added added = addAll(questionId, List.of(new Candidate(request, idempotencyKey)), curator, keyOwner, Outbox.Lane.INTERACTIVE).get(0);
        if (added.refused() != null) {
            throw added.refused();
        }
        return added.created();
    }

    /** One record to add, with the Idempotency-Key that names it (or null). */
    public record Candidate(OutcomeRecordRequest request, String idempotencyKey) {
    }

    /** What became of one candidate: created (or replayed), or refused with the problem that says why. */
    public record Added(RevisionedCollection.Created<OutcomeRecordRevised> created, InputProblem refused) {
    }

    /**
     * Adds many records to one question, each validated and stored on its own (one refused does not stop the
     * others), with the checks and writes done once for all: the question, the cited studies and the trials already
     * counted are read in a few queries, and the records are written in one bulk insert. Results are in order.
     *
     * @param lane where the records' events wait to be published: a bulk import's give way to a curator's single record
     */
    public List<Added> addAll(String questionId, List<Candidate> candidates, Authentication curator, String keyOwner, Outbox.Lane lane) {
        QuestionRevised question = questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        Added[] results = new Added[candidates.size()];
        if (question.status() == QuestionRevised.QuestionStatus.ARCHIVED) {
            InputProblem archived = InputProblem.conflict("questionId", "question " + questionId + " is archived: it takes no new records");
            java.util.Arrays.fill(results, new Added(null, archived));
            return List.of(results);
        }
        // Each candidate on its own: the figures, and the id its key derives.
        Map<Integer, DerivedEffect> derived = new HashMap<>();
        Map<Integer, String> recordIds = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            try {
                c.request().validate(question.effectMeasure());
                derived.put(i, ReportedOutcomeDerivation.derive(c.request().reported()));
                recordIds.put(i, IdempotencyKeys.entityId("r_", c.idempotencyKey(), keyOwner,
                        "questions/" + questionId + "/outcome-records", Ids::newRecordId));
            } catch (InputProblem problem) {
                results[i] = new Added(null, problem);
            }
        }
        // The studies they cite, read together.
        Set<String> cited = new HashSet<>();
        derived.keySet().forEach(i -> {
            if (candidates.get(i).request().studyId() != null) {
                cited.add(candidates.get(i).request().studyId());
            }
        });
        Map<String, StudyRevised> studiesById = studies.findAll(cited);
        Map<String, Set<String>> trials = new HashMap<>();
        for (String studyId : studiesById.keySet()) {
            trials.put(studyId, studies.sameTrial(studyId, Optional.of(studiesById.get(studyId))));
        }
        // The trials already counted for the question: every slot the candidates could take, read at once.
        Map<Integer, String> studyIds = new HashMap<>();
        Set<String> slots = new HashSet<>();
        for (Integer i : derived.keySet()) {
            OutcomeRecordRequest request = candidates.get(i).request();
            String studyId = request.studyId();
            if (studyId != null && !studiesById.containsKey(studyId)) {
                results[i] = new Added(null, InputProblem.invalid("studyId", "no study " + studyId + " is registered: register the "
                        + "publication first (POST /api/v1/studies) and cite the id it gets, or leave studyId out for a study of its own"));
                continue;
            }
            if (studyId != null && studiesById.get(studyId).status() == StudyRevised.StudyStatus.RETRACTED) {
                results[i] = new Added(null, InputProblem.conflict("studyId", "study " + studyId + " is retracted: its results no longer count"));
                continue;
            }
            studyIds.put(i, studyId == null ? Ids.newStudyId() : studyId);
            if (studyId != null) {
                trials.get(studyId).forEach(t -> slots.add(OutcomeRecordRepository.slot(questionId, t, request.subgroupOrNull())));
            }
        }
        Map<String, OutcomeRecordRevised> counted = records.activeInSlots(slots);
        int room = FieldLimits.RECORDS_PER_QUESTION - questions.activeRecords(questionId);
        List<Integer> accepted = new ArrayList<>();
        List<RevisionedCollection.NewEntity<OutcomeRecordRevised>> entities = new ArrayList<>();
        for (Integer i : studyIds.keySet().stream().sorted().toList()) {
            OutcomeRecordRequest request = candidates.get(i).request();
            String studyId = studyIds.get(i);
            String subgroup = request.subgroupOrNull();
            Set<String> trial = request.studyId() == null ? Set.of(studyId) : trials.get(studyId);
            Optional<OutcomeRecordRevised> counting = trial.stream().map(t -> counted.get(OutcomeRecordRepository.slot(questionId, t, subgroup)))
                    .filter(r -> r != null && !r.recordId().equals(recordIds.get(i))).findFirst();
            if (counting.isPresent()) {
                results[i] = new Added(null, alreadyCounted(counting.get().studyId(), subgroup, counting.get().recordId()));
                continue;
            }
            if (accepted.size() >= room) {
                results[i] = new Added(null, InputProblem.conflict("questionId", "question " + questionId + " holds "
                        + FieldLimits.RECORDS_PER_QUESTION + " active records, the most one question takes; retract records or split the question"));
                continue;
            }
            OutcomeRecordRevised record = RecordContent.of(request, derived.get(i), Optional.ofNullable(studiesById.get(request.studyId())))
                    .first(recordIds.get(i), questionId, studyId, clock.instant(), Attribution.of(curator), request.reasonOrNull());
            // A later candidate of the same trial in this batch is counted by this one.
            trial.forEach(t -> counted.putIfAbsent(OutcomeRecordRepository.slot(questionId, t, subgroup), record));
            accepted.add(i);
            entities.add(new RevisionedCollection.NewEntity<>(recordIds.get(i), record,
                    IdempotencyKeys.of(candidates.get(i).idempotencyKey(), request)));
        }
        List<RevisionedCollection.Creation<OutcomeRecordRevised>> creations = records.revisions().createAll(entities, lane);
        int created = 0;
        for (int n = 0; n < accepted.size(); n++) {
            int i = accepted.get(n);
            RevisionedCollection.Creation<OutcomeRecordRevised> creation = creations.get(n);
            if (creation.created() != null) {
                results[i] = new Added(creation.created(), null);
                created += creation.created().replayed() ? 0 : 1;
            } else if (creation.failure() instanceof RevisionedCollection.UniqueViolation) {
                results[i] = new Added(null, alreadyCounted(studyIds.get(i), candidates.get(i).request().subgroupOrNull(), null));
            } else if (creation.failure() instanceof RevisionedCollection.KeyReused reused) {
                results[i] = new Added(null, InputProblem.idempotencyKeyReused(reused.key()));
            } else {
                throw creation.failure();
            }
        }
        if (created > 0) {
            questions.countRecords(questionId, created);
        }
        return List.of(results);
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
        OutcomeRecordRevised next = RecordContent.of(request, derived, study)
                .after(current, RecordStatus.ACTIVE, clock.instant(), Attribution.of(curator), request.reasonOrNull());
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
        OutcomeRecordRevised next = RecordContent.of(current).after(current, RecordStatus.RETRACTED, clock.instant(), by, reason);
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
}
