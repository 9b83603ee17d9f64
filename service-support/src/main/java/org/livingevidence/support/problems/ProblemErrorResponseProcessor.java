package org.livingevidence.support.problems;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error Micronaut produces itself (no route, wrong method, unsupported media type, missing parameter, an
 * unexpected exception) also answers problem+json, so clients parse one error format.
 */
@Primary
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        int status = base.code();
        List<Problem.FieldError> errors = context.getErrors().stream()
                .filter(e -> e.getPath().isPresent())
                .map(e -> new Problem.FieldError(e.getPath().get(), e.getMessage()))
                .toList();
        String detail = context.getErrors().isEmpty() ? base.reason() : context.getErrors().get(0).getMessage();
        String type = switch (status) {
            case 401 -> ProblemTypes.UNAUTHENTICATED;
            case 403 -> ProblemTypes.FORBIDDEN;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            default -> ProblemTypes.HTTP;
        };
        if (status == 413 && errors.isEmpty()) {
            errors = List.of(new Problem.FieldError("body", "is larger than this endpoint takes"));
        }
        if (status == 401) {
            detail = "a valid API key or JWT is required as a bearer token (Authorization: Bearer ...); a token that is "
                    + "unknown, revoked, expired, unsigned or wrongly signed is refused";
        }
        if (status >= 500) {
            // Never leak internals to the client; the log has the cause.
            context.getRootCause().ifPresent(cause -> LOG.error("unexpected error on {}", context.getRequest().getPath(), cause));
            detail = "an unexpected error occurred; it has been logged";
            type = ProblemTypes.INTERNAL;
            errors = List.of();
        }
        Problem problem = new Problem(type, base.reason(), status, detail, context.getRequest().getPath(), errors);
        return base.body(problem).contentType(Problem.MEDIA_TYPE);
    }
}
