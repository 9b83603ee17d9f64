package org.livingevidence.analysis.estimates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import org.livingevidence.analysis.projections.ProjectionRepository;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.problems.InputProblem;

@Controller("/api/v1/questions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EstimateController {

    private final ProjectionRepository projections;

    EstimateController(ProjectionRepository projections) {
        this.projections = projections;
    }

    /** The latest estimate as a GRADE summary-of-findings row: JSON, or a table with {@code Accept: text/plain}. */
    @Get(value = "/{questionId}/summary-of-findings", produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    HttpResponse<?> summaryOfFindings(@PathVariable String questionId, @Header(HttpHeaders.ACCEPT) @Nullable String accept) {
        SummaryOfFindings summary = SummaryOfFindings.of(latest(questionId));
        if (accept != null && accept.contains(MediaType.TEXT_PLAIN) && !accept.contains(MediaType.APPLICATION_JSON)) {
            return HttpResponse.ok(summary.table()).contentType(MediaType.TEXT_PLAIN + "; charset=utf-8");
        }
        return HttpResponse.ok(summary).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The question's latest pooled estimate, in the same form as its event. */
    @Get("/{questionId}/estimate")
    PooledEstimateComputed latest(@PathVariable String questionId) {
        return projections.latestEstimate(questionId)
                .orElseThrow(() -> InputProblem.notFound("estimate for question", questionId));
    }
}
