package org.livingevidence.study.studies;

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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.contracts.events.StudyRevised;
import org.livingevidence.study.Attribution;
import org.livingevidence.study.Ids;
import org.livingevidence.study.revisions.ETags;
import org.livingevidence.study.revisions.IdempotencyKeys;
import org.livingevidence.study.revisions.RevisionResponses;
import org.livingevidence.study.revisions.SortOrder;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.paging.PagedResponses;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.security.Roles;

/** Studies (publications): register, revise (If-Match), read as of any time, list, and read the history. */
@Controller("/api/v1/studies")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StudyController {

    static final SortOrder<StudyRevised> SORTS = new SortOrder<StudyRevised>(StudyRevised::revisedAt)
            .and("citation.year", s -> s.citation().year()).and("citation.title", s -> s.citation().title());

    private final StudyRepository repository;
    private final Clock clock;

    StudyController(StudyRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Post
    @Secured(Roles.CURATOR)
    HttpResponse<StudyRevised> register(@Body @Nullable StudyRequest request, Authentication curator,
                                        @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON study is required");
        }
        request.validate();
        String id = IdempotencyKeys.entityId("s_", idempotencyKey, curator.getName(), "studies", Ids::newStudyId);
        requireLinksExist(request, id);
        StudyRevised study = revision(id, 1, request, curator);
        return RevisionResponses.created(repository.revisions().create(id, study, IdempotencyKeys.of(idempotencyKey, request)),
                "/api/v1/studies/" + id, StudyRevised::revision);
    }

    @Put("/{studyId}")
    @Secured(Roles.CURATOR)
    HttpResponse<StudyRevised> revise(@PathVariable String studyId, @Body @Nullable StudyRequest request,
                                      @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch, Authentication curator) {
        StudyRevised current = repository.find(studyId).orElseThrow(() -> InputProblem.notFound("study", studyId));
        ETags.requireCurrent(ifMatch, "study", studyId, current.revision());
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON study is required");
        }
        request.validateRevision();
        requireLinksExist(request, studyId);
        StudyRevised next = revision(studyId, current.revision() + 1, request, curator);
        return RevisionResponses.current(repository.revisions().revise(studyId, current, next), next.revision());
    }

    /**
     * @param design     filter: RANDOMISED_TRIAL, PROSPECTIVE_COHORT...
     * @param year       filter: publication year
     * @param registryId filter: studies registered as this trial (e.g. NCT01234567)
     * @param sort       createdAt (default), revisedAt, citation.year or citation.title; '-' for descending
     */
    @Get
    HttpResponse<List<StudyRevised>> list(HttpRequest<?> http, @QueryValue @Nullable StudyRevised.StudyStatus status,
                                          @QueryValue @Nullable StudyDesign design, @QueryValue @Nullable Integer year,
                                          @QueryValue @Nullable String registryId, @QueryValue @Nullable Integer offset,
                                          @QueryValue @Nullable Integer limit, @QueryValue @Nullable String sort,
                                          @QueryValue @Nullable Instant asOf) {
        PageRequest paging = PageRequest.of(offset, limit, sort, SORTS.fields());
        String designName = design == null ? null : design.name();
        if (asOf == null) {
            return PagedResponses.of(http, repository.revisions().page(StudyRepository.filter(status, designName, year, registryId), paging), paging);
        }
        return PagedResponses.of(http, repository.revisions().pageAsOf(StudyRepository.filter(null, null, null, null), asOf,
                s -> (status == null || s.status() == status) && (design == null || s.design() == design)
                        && (year == null || year.equals(s.citation().year()))
                        && (registryId == null || (s.citation().registryIds() != null && s.citation().registryIds().contains(registryId))),
                SORTS, paging), paging);
    }

    @Get("/{studyId}")
    HttpResponse<StudyRevised> get(@PathVariable String studyId, @QueryValue @Nullable Instant asOf) {
        StudyRevised study = repository.revisions().find(studyId, asOf).orElseThrow(() -> InputProblem.notFound("study", studyId));
        return RevisionResponses.current(study, study.revision());
    }

    @Get("/{studyId}/revisions")
    List<StudyRevised> history(@PathVariable String studyId) {
        return RevisionResponses.history(repository.revisions().history(studyId), "study", studyId);
    }

    private void requireLinksExist(StudyRequest request, String studyId) {
        List<String> links = request.linksOrNull();
        if (links == null) {
            return;
        }
        if (links.contains(studyId)) {
            throw InputProblem.invalid("linkedStudyIds", "a study cannot link to itself");
        }
        List<String> unknown = repository.unknown(links);
        if (!unknown.isEmpty()) {
            throw InputProblem.invalid("linkedStudyIds", "not registered: " + unknown + "; register the other publication first");
        }
    }

    private StudyRevised revision(String id, long revision, StudyRequest request, Authentication curator) {
        return new StudyRevised(id, revision, request.statusOrActive(), request.citation(), request.design(), request.enrolment(),
                request.arms(), request.riskOfBias(), request.linksOrNull(), clock.instant(), Attribution.of(curator),
                request.reasonOrNull());
    }
}
