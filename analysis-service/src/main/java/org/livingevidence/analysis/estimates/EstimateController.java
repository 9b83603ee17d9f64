package org.livingevidence.analysis.estimates;

import io.micronaut.http.annotation.Controller;
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

    /** The question's latest pooled estimate, in the same form as its event. */
    @Get("/{questionId}/estimate")
    PooledEstimateComputed latest(@PathVariable String questionId) {
        return projections.latestEstimate(questionId)
                .orElseThrow(() -> InputProblem.notFound("estimate for question", questionId));
    }
}
