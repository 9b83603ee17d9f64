package org.livingevidence.analysis.analyses;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import org.livingevidence.support.problems.InputProblem;

/**
 * Stateless analyses: pool the studies in the request and return every figure, so integrators and curators can
 * preview an analysis or reproduce a published estimate. Nothing is stored or published.
 */
@Controller("/api/v1/analyses")
public class AnalysisController {

    @Post
    AnalysisReport analyse(@Body AnalysisRequest request) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON analysis request is required");
        }
        return PreviewAnalysis.run(request);
    }
}
