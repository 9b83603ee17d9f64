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
import io.micronaut.http.annotation.QueryValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.livingevidence.analysis.analyses.AnalysisCapacity;
import org.livingevidence.analysis.plots.EstimatePlots;
import org.livingevidence.analysis.projections.ProjectionRepository;
import org.livingevidence.analysis.plots.PngPlot;
import org.livingevidence.analysis.projections.QuestionProjection;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.problems.InputProblem;

@Controller("/api/v1/questions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EstimateController {

    private final ProjectionRepository projections;
    private final AnalysisCapacity capacity;
    private final EstimateHistory history;

    EstimateController(ProjectionRepository projections, AnalysisCapacity capacity, EstimateHistory history) {
        this.projections = projections;
        this.capacity = capacity;
        this.history = history;
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

    /**
     * The extended funnel plot's regions for the question as it stands: where one more study would leave the interval
     * relative to the null ({@code against=NULL}, the default) or the minimal important difference ({@code MID}).
     * Computed on the analyses' own small pool, as a stateless analysis is (429 when it is full).
     */
    @Get("/{questionId}/extended-funnel{?against,rows,points}")
    CompletableFuture<ExtendedFunnelView> extendedFunnel(@PathVariable String questionId, @QueryValue @Nullable String against,
                                                         @QueryValue @Nullable Integer rows, @QueryValue @Nullable Integer points) {
        ExtendedFunnelView.Against judged;
        try {
            judged = against == null ? ExtendedFunnelView.Against.NULL : ExtendedFunnelView.Against.valueOf(against.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InputProblem.invalid("against", "must be NULL or MID");
        }
        ExtendedFunnelView.Request request = ExtendedFunnelView.request(projections.load(questionId), judged,
                rows == null ? 24 : rows, points == null ? 200 : points);
        try {
            return CompletableFuture.supplyAsync(request::compute, capacity.executor());
        } catch (RejectedExecutionException e) {
            throw capacity.busy();
        }
    }

    /**
     * The latest estimate as a forest plot (SVG): studies with their intervals and weights, both models' diamonds, the
     * prediction interval and heterogeneity, "favours" labels from the question's benefit direction.
     */
    @Get(value = "/{questionId}/plots/forest.svg", produces = "image/svg+xml")
    HttpResponse<String> forestPlot(@PathVariable String questionId) {
        return latestPlot(questionId, EstimatePlots::forest);
    }

    /** The latest estimate's studies as a contour-enhanced funnel plot with Egger's regression line (SVG). */
    @Get(value = "/{questionId}/plots/funnel.svg", produces = "image/svg+xml")
    HttpResponse<String> funnelPlot(@PathVariable String questionId) {
        return latestPlot(questionId, EstimatePlots::funnel);
    }

    private HttpResponse<String> latestPlot(String questionId,
                                            java.util.function.BiFunction<PooledEstimateComputed, QuestionProjection, String> plot) {
        QuestionProjection projection = projections.load(questionId);
        PooledEstimateComputed estimate = projection.latestEstimate();
        if (estimate == null) {
            throw InputProblem.notFound("estimate for question", questionId);
        }
        return svg(plot.apply(estimate, projection));
    }

    /** The latest estimate as a cumulative forest plot in publication order (SVG), for up to 1,000 studies. */
    @Get(value = "/{questionId}/plots/cumulative.svg", produces = "image/svg+xml")
    HttpResponse<String> cumulativePlot(@PathVariable String questionId) {
        return latestPlot(questionId, EstimateController::cumulative);
    }

    /** One estimate version's cumulative forest plot. */
    @Get(value = "/{questionId}/estimates/{version}/plots/cumulative.svg", produces = "image/svg+xml")
    HttpResponse<String> cumulativePlotOf(@PathVariable String questionId, @PathVariable long version) {
        return svg(cumulative(version(questionId, version), projections.load(questionId)));
    }

    private static String cumulative(PooledEstimateComputed estimate, QuestionProjection projection) {
        if (estimate.studies().size() > EstimatePlots.MAX_CUMULATIVE_STUDIES) {
            throw InputProblem.invalid("questionId", "has " + estimate.studies().size() + " studies; a cumulative plot is drawn for up to "
                    + EstimatePlots.MAX_CUMULATIVE_STUDIES);
        }
        return EstimatePlots.cumulative(estimate, projection);
    }

    /**
     * The question's estimate history as a plot (SVG): the last {@code limit} versions (1 to 100, 50), each with its
     * interval, conclusion shifts marked.
     */
    @Get(value = "/{questionId}/plots/history.svg{?limit}", produces = "image/svg+xml")
    HttpResponse<String> historyPlot(@PathVariable String questionId, @QueryValue @Nullable Integer limit) {
        List<PooledEstimateComputed> newestFirst = history.versions(questionId, null, versionsLimit(limit));
        if (newestFirst.isEmpty()) {
            throw InputProblem.notFound("estimate for question", questionId);
        }
        List<PooledEstimateComputed> oldestFirst = new java.util.ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return svg(EstimatePlots.history(oldestFirst, projections.load(questionId)));
    }

    /** One estimate version's funnel plot. */
    @Get(value = "/{questionId}/estimates/{version}/plots/funnel.svg", produces = "image/svg+xml")
    HttpResponse<String> funnelPlotOf(@PathVariable String questionId, @PathVariable long version) {
        return svg(EstimatePlots.funnel(version(questionId, version), projections.load(questionId)));
    }

    /** One estimate version's forest plot: a stable URL (the records' derivation notes are as they stand now). */
    @Get(value = "/{questionId}/estimates/{version}/plots/forest.svg", produces = "image/svg+xml")
    HttpResponse<String> forestPlotOf(@PathVariable String questionId, @PathVariable long version) {
        return svg(EstimatePlots.forest(version(questionId, version), projections.load(questionId)));
    }

    /**
     * One estimate version's forest plot as a PNG, for alert emails (most mail clients show no SVG): up to
     * {@value org.livingevidence.analysis.plots.PngPlot#MAX_STUDIES} studies, rasterised on the stateless-analysis
     * pool (429 with Retry-After when it is full).
     */
    @Get(value = "/{questionId}/estimates/{version}/plots/forest.png", produces = "image/png")
    CompletableFuture<HttpResponse<byte[]>> forestPngOf(@PathVariable String questionId, @PathVariable long version) {
        PooledEstimateComputed estimate = version(questionId, version);
        if (estimate.studies().size() > PngPlot.MAX_STUDIES) {
            throw InputProblem.invalid("version", "has " + estimate.studies().size() + " studies; a PNG is drawn for up to "
                    + PngPlot.MAX_STUDIES + " (forest.svg draws any number)");
        }
        String svg = EstimatePlots.forest(estimate, projections.load(questionId));
        try {
            return CompletableFuture.supplyAsync(() -> HttpResponse.ok(PngPlot.of(svg)).contentType("image/png")
                    .header("X-Content-Type-Options", org.livingevidence.analysis.plots.SvgHeaders.NO_SNIFF)
                    .header("Cache-Control", "public, max-age=300"), capacity.executor());
        } catch (RejectedExecutionException e) {
            throw capacity.busy();
        }
    }

    /** One estimate version as it was published. */
    @Get("/{questionId}/estimates/{version}")
    PooledEstimateComputed version(@PathVariable String questionId, @PathVariable long version) {
        if (version < 1) {
            throw InputProblem.invalid("version", "must be 1 or more");
        }
        return history.version(questionId, version)
                .orElseThrow(() -> InputProblem.notFound("estimate version " + version + " of question", questionId));
    }

    /**
     * A question's estimate versions, newest first: each with its pooled estimate, conclusion and what triggered it.
     * {@code before} pages back; {@code limit} is 1 to 100 (50). Each version's trigger is the last change it followed;
     * the whole list is in the version itself.
     */
    @Get("/{questionId}/estimates{?before,limit}")
    List<EstimateVersion> versions(@PathVariable String questionId, @QueryValue @Nullable Long before, @QueryValue @Nullable Integer limit) {
        return history.versions(questionId, before, versionsLimit(limit)).stream().map(EstimateVersion::of).toList();
    }

    /**
     * An SVG served from the API's origin: opened on its own, it must not run anything or be read as another type
     * (the plots have no script; these headers keep it so whatever a label says).
     */
    /** How many versions a list or a history plot reads: 1 to 100, 50 when not given. */
    private static int versionsLimit(@Nullable Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 100) {
            throw InputProblem.invalid("limit", "must be between 1 and 100");
        }
        return n;
    }

    private static HttpResponse<String> svg(String svg) {
        return HttpResponse.ok(svg).contentType(org.livingevidence.analysis.plots.SvgHeaders.CONTENT_TYPE)
                .header("Content-Security-Policy", org.livingevidence.analysis.plots.SvgHeaders.CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", org.livingevidence.analysis.plots.SvgHeaders.NO_SNIFF);
    }

    /** The question's latest pooled estimate, in the same form as its event. */
    @Get("/{questionId}/estimate")
    PooledEstimateComputed latest(@PathVariable String questionId) {
        return projections.latestEstimate(questionId)
                .orElseThrow(() -> InputProblem.notFound("estimate for question", questionId));
    }
}
