package org.livingevidence.study.questions;

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
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.revisions.ETags;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.study.revisions.RevisionResponses;
import org.livingevidence.study.revisions.SortOrder;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.paging.PagedResponses;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.security.Roles;

/** Evidence questions: define, revise (If-Match), read as of any time, list, and read the revision history. */
@Controller("/api/v1/questions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class QuestionController {

    /** The longest title search ({@code q}) taken. */
    static final int MAX_SEARCH_CHARS = 200;

    static final SortOrder<QuestionRevised> SORTS = new SortOrder<QuestionRevised>(QuestionRevised::revisedAt)
            .and("title", QuestionRevised::title);

    private final QuestionRepository repository;
    private final QuestionEntry entry;

    QuestionController(QuestionRepository repository, QuestionEntry entry) {
        this.repository = repository;
        this.entry = entry;
    }

    @Post
    @Secured(Roles.CURATOR)
    HttpResponse<QuestionRevised> define(@Body @Nullable QuestionRequest request, Authentication curator,
                                         @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON question is required");
        }
        RevisionedCollection.Created<QuestionRevised> created = entry.define(request, curator, idempotencyKey);
        return RevisionResponses.created(created, "/api/v1/questions/" + created.entity().questionId(), QuestionRevised::revision);
    }

    @Put("/{questionId}")
    @Secured(Roles.CURATOR)
    HttpResponse<QuestionRevised> revise(@PathVariable String questionId, @Body @Nullable QuestionRequest request,
                                         @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch, Authentication curator) {
        QuestionRevised current = repository.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        ETags.requireCurrent(ifMatch, "question", questionId, current.revision());
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON question is required");
        }
        request.validateRevisionOf(current);
        QuestionRevised next = entry.revision(questionId, current.revision() + 1, request, curator);
        return RevisionResponses.current(repository.revisions().revise(questionId, current, next), next.revision());
    }

    /**
     * @param status filter: ACTIVE or ARCHIVED
     * @param tag    filter: questions carrying any of these tags
     * @param sort   createdAt (default), revisedAt or title; '-' in front for descending
     * @param asOf   the registry as it stood at this instant
     * @param q      filter: the title contains this text, in any case (at most 200 characters)
     */
    @Get
    HttpResponse<List<QuestionRevised>> list(HttpRequest<?> http, @QueryValue @Nullable QuestionRevised.QuestionStatus status,
                                             @QueryValue @Nullable List<String> tag, @QueryValue @Nullable Integer offset,
                                             @QueryValue @Nullable Integer limit, @QueryValue @Nullable String sort,
                                             @QueryValue @Nullable Instant asOf, @QueryValue("q") @Nullable String titleContains) {
        PageRequest paging = PageRequest.of(offset, limit, sort, SORTS.fields());
        if (titleContains != null && titleContains.codePointCount(0, titleContains.length()) > MAX_SEARCH_CHARS) {
            throw InputProblem.invalid("q", "may hold at most " + MAX_SEARCH_CHARS + " characters");
        }
        if (asOf == null) {
            return PagedResponses.of(http, repository.revisions().page(QuestionRepository.filter(status, tag, titleContains), paging), paging);
        }
        String lower = titleContains == null ? null : titleContains.strip().toLowerCase(java.util.Locale.ROOT);
        return PagedResponses.of(http, repository.revisions().pageAsOf(QuestionRepository.filter(null, null), asOf,
                q -> (status == null || q.status() == status) && (tag == null || tag.isEmpty()
                        || (q.tags() != null && q.tags().stream().anyMatch(tag::contains)))
                        && (lower == null || lower.isEmpty() || q.title().toLowerCase(java.util.Locale.ROOT).contains(lower)), SORTS, paging), paging);
    }

    @Get("/{questionId}")
    HttpResponse<QuestionRevised> get(@PathVariable String questionId, @QueryValue @Nullable Instant asOf) {
        QuestionRevised question = repository.find(questionId, asOf).orElseThrow(() -> InputProblem.notFound("question", questionId));
        return RevisionResponses.current(question, question.revision());
    }

    @Get("/{questionId}/revisions")
    List<QuestionRevised> history(@PathVariable String questionId) {
        return RevisionResponses.history(repository.revisions().history(questionId), "question", questionId);
    }
}
