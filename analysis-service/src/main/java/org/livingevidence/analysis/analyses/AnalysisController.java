package org.livingevidence.analysis.analyses;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.livingevidence.support.problems.InputProblem;

/**
 * Stateless analyses: pool the studies in the request and return every figure, so integrators and curators can
 * preview an analysis or reproduce a published estimate. Nothing is stored or published. An analysis of thousands of
 * studies takes seconds of CPU, so analyses run on a small pool of their own ({@link AnalysisCapacity}), never on
 * the event loop, and a request that finds the pool and its queue full gets 429 with Retry-After.
 */
@Controller("/api/v1/analyses")
public class AnalysisController {

    private final AnalysisCapacity capacity;

    AnalysisController(AnalysisCapacity capacity) {
        this.capacity = capacity;
    }

    /** The same analysis as a forest plot (SVG), with the same headers as a question's plots. */
    @Post(value = "/plots/forest.svg", produces = "image/svg+xml")
    CompletableFuture<HttpResponse<String>> forestPlot(@Body @Nullable AnalysisRequest request) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON analysis request is required");
        }
        try {
            return CompletableFuture.supplyAsync(() -> HttpResponse.ok(AnalysisPlots.forest(request, PreviewAnalysis.run(request)))
                    .contentType(org.livingevidence.analysis.plots.SvgHeaders.CONTENT_TYPE)
                    .header("Content-Security-Policy", org.livingevidence.analysis.plots.SvgHeaders.CONTENT_SECURITY_POLICY)
                    .header("X-Content-Type-Options", org.livingevidence.analysis.plots.SvgHeaders.NO_SNIFF), capacity.executor());
        } catch (RejectedExecutionException e) {
            throw capacity.busy();
        }
    }

    @Post
    CompletableFuture<HttpResponse<AnalysisReport>> analyse(@Body @Nullable AnalysisRequest request, HttpRequest<?> http) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON analysis request is required");
        }
        try {
            return CompletableFuture.supplyAsync(() -> HttpResponse.ok(PreviewAnalysis.run(request)), capacity.executor());
        } catch (RejectedExecutionException e) {
            throw capacity.busy();
        }
    }
}
