package org.livingevidence.analysis.analyses;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteMatch;
import org.livingevidence.support.problems.Problem;
import org.livingevidence.support.problems.ProblemResponses;

/**
 * Answers 429 before an analysis request's body is read when every slot and queue place is taken: parsing 2,000
 * studies only to refuse them would take the very CPU the running analyses (and {@code /health}) need. By the route
 * that will take the request ({@link AnalysisController}'s), not by path, as study-service's upload admission: the
 * router takes a path with a trailing slash as the same endpoint. (Here security refuses that form first, since reads
 * are named by their exact paths; the route is what this filter means either way.)
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class TurnAwayWhenSaturated {

    private final AnalysisCapacity capacity;

    TurnAwayWhenSaturated(AnalysisCapacity capacity) {
        this.capacity = capacity;
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> turnAway(HttpRequest<?> request, @Nullable RouteMatch<?> route) {
        boolean analysis = route instanceof MethodBasedRouteMatch<?, ?> method && method.getDeclaringType() == AnalysisController.class;
        if (!analysis || request.getMethod() != HttpMethod.POST || !capacity.saturated()) {
            return null;
        }
        return ProblemResponses.of(request, capacity.busy());
    }
}
