package org.livingevidence.support.problems;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.List;

/** Builds problem+json responses. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /** The response to {@code problem}, with its {@code Retry-After} when it names one. */
    public static MutableHttpResponse<Problem> of(HttpRequest<?> request, InputProblem problem) {
        MutableHttpResponse<Problem> response = of(request, problem.status(), problem.type(), problem.title(), problem.getMessage(),
                problem.errors());
        return problem.retryAfterSeconds() == null ? response
                : response.header(io.micronaut.http.HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds().toString());
    }

    public static MutableHttpResponse<Problem> of(HttpRequest<?> request, int status, String type, String title,
                                           String detail, List<Problem.FieldError> errors) {
        Problem problem = new Problem(type, title, status, detail, request == null ? null : request.getPath(), errors);
        return HttpResponse.<Problem>status(HttpStatus.valueOf(status)).body(problem).contentType(Problem.MEDIA_TYPE);
    }
}
