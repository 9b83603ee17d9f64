package org.livingevidence.study.outcomes;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.study.revisions.RevisionResponses;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.study.revisions.SortOrder;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.paging.PagedResponses;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.security.Roles;

/** Outcome records: enter, revise and retract (If-Match), read as of any time, list, and read the history. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutcomeRecordController {

    static final SortOrder<OutcomeRecordRevised> SORTS = new SortOrder<OutcomeRecordRevised>(OutcomeRecordRevised::revisedAt)
            .and("publicationYear", OutcomeRecordRevised::publicationYear).and("studyLabel", OutcomeRecordRevised::studyLabel);

    /** A retraction: why the record leaves the analysis. */
    record RetractionRequest(String reason) {
    }

    private final QuestionRepository questions;
    private final OutcomeRecordRepository records;
    private final OutcomeRecordEntry entry;
    private final RecordsByHand byHand;

    OutcomeRecordController(QuestionRepository questions, OutcomeRecordRepository records, OutcomeRecordEntry entry,
                            RecordsByHand byHand) {
        this.questions = questions;
        this.records = records;
        this.entry = entry;
        this.byHand = byHand;
    }

    @Post("/questions/{questionId}/outcome-records")
    @Secured(Roles.CURATOR)
    HttpResponse<OutcomeRecordRevised> add(@PathVariable String questionId, @Body @Nullable OutcomeRecordRequest request,
                                           Authentication curator, @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        byHand.entered();
        RevisionedCollection.Created<OutcomeRecordRevised> created = entry.add(questionId, request, curator, idempotencyKey, curator.getName());
        return RevisionResponses.created(created, "/api/v1/outcome-records/" + created.entity().recordId(), OutcomeRecordRevised::revision);
    }

    @Put("/outcome-records/{recordId}")
    @Secured(Roles.CURATOR)
    HttpResponse<OutcomeRecordRevised> revise(@PathVariable String recordId, @Body @Nullable OutcomeRecordRequest request,
                                              @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch, Authentication curator) {
        byHand.entered();
        OutcomeRecordRevised stored = entry.revise(recordId, request, ifMatch, curator);
        return RevisionResponses.current(stored, stored.revision());
    }

    @Post("/outcome-records/{recordId}/retraction")
    @Secured(Roles.CURATOR)
    HttpResponse<OutcomeRecordRevised> retract(@PathVariable String recordId, @Body @Nullable RetractionRequest request,
                                               @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch, Authentication curator) {
        byHand.entered();
        OutcomeRecordRevised stored = entry.retract(recordId, request == null ? null : request.reason(), ifMatch, curator);
        return RevisionResponses.current(stored, stored.revision());
    }

    /**
     * @param status  filter: ACTIVE or RETRACTED
     * @param studyId filter: records of one study
     * @param sort    createdAt (default), revisedAt, publicationYear or studyLabel; '-' for descending
     * @param asOf    the question's records as they stood at this instant
     */
    @Get("/questions/{questionId}/outcome-records")
    HttpResponse<List<OutcomeRecordRevised>> list(HttpRequest<?> http, @PathVariable String questionId,
                                                  @QueryValue @Nullable OutcomeRecordRevised.RecordStatus status,
                                                  @QueryValue @Nullable String studyId, @QueryValue @Nullable Integer offset,
                                                  @QueryValue @Nullable Integer limit, @QueryValue @Nullable String sort,
                                                  @QueryValue @Nullable Instant asOf) {
        QuestionRevised question = questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        PageRequest paging = PageRequest.of(offset, limit, sort, SORTS.fields());
        if (asOf == null) {
            return PagedResponses.of(http, records.revisions().page(OutcomeRecordRepository.filter(question.questionId(), status, studyId), paging), paging);
        }
        return PagedResponses.of(http, records.revisions().pageAsOf(OutcomeRecordRepository.filter(questionId, null, null), asOf,
                r -> (status == null || r.status() == status) && (studyId == null || studyId.equals(r.studyId())), SORTS, paging), paging);
    }

    @Get("/outcome-records/{recordId}")
    HttpResponse<OutcomeRecordRevised> get(@PathVariable String recordId, @QueryValue @Nullable Instant asOf) {
        OutcomeRecordRevised record = records.revisions().find(recordId, asOf)
                .orElseThrow(() -> InputProblem.notFound("outcome record", recordId));
        return RevisionResponses.current(record, record.revision());
    }

    @Get("/outcome-records/{recordId}/revisions")
    List<OutcomeRecordRevised> history(@PathVariable String recordId) {
        return RevisionResponses.history(records.revisions().history(recordId), "outcome record", recordId);
    }
}
