package org.livingevidence.console.gateway;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors Micronaut raises itself in the console (no such page, wrong method, an unexpected exception) answer problem+json too, as the services' do (service-support's ProblemErrorResponseProcessor, which
 * the console does not load: it would bring the services' MongoDB and outbox beans along).
 */
@Primary
@Singleton
final class ConsoleErrors implements ErrorResponseProcessor<Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleErrors.class);

    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        String path = context.getRequest().getPath();
        if (status.getCode() >= 500) {
            // Never leak internals to the client; the log has the cause.
            context.getRootCause().ifPresent(cause -> LOG.error("unexpected error on {}", path, cause));
            return ConsoleProblems.problem(status, "internal", base.reason(), "an unexpected error occurred; it has been logged", path);
        }
        String detail = context.getErrors().isEmpty() ? base.reason() : context.getErrors().get(0).getMessage();
        MutableHttpResponse<Map<String, Object>> problem;
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            problem = ConsoleProblems.problem(status, "payload-too-large", base.reason(), detail, path);
            problem.body().put("errors", List.of(Map.of("field", "body", "message", "is larger than the console takes (16 MiB)")));
        } else {
            problem = ConsoleProblems.problem(status, status == HttpStatus.NOT_FOUND ? "not-found" : "http", base.reason(), detail, path);
        }
        ConsoleHeaders.apply(problem);
        return problem;
    }
}
