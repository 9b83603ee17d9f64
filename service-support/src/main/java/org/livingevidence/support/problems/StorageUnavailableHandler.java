package org.livingevidence.support.problems;

import com.mongodb.MongoException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;
import org.livingevidence.support.events.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MongoDB away (no server within the selection timeout, a dropped connection): 503 with Retry-After, so clients
 * retry rather than report a fault. A write cut off mid-way may or may not have been stored: creates are safe to
 * retry with the same Idempotency-Key, updates with the same If-Match. Any other MongoDB error is a fault of ours: 500.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class StorageUnavailableHandler implements ExceptionHandler<MongoException, HttpResponse<Problem>> {

    static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(StorageUnavailableHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, MongoException e) {
        if (Failures.isTransient(e)) {
            LOG.warn("storage unavailable for {}: {}", request.getPath(), e.toString());
            int retryAfter = RetryAfter.spread(RETRY_AFTER_SECONDS);
            HttpResponse<Problem> response = ProblemResponses.of(request, 503, ProblemTypes.STORAGE_UNAVAILABLE, "Service unavailable",
                    "the registry's database cannot be reached just now; retry in " + retryAfter
                            + " seconds (with the same Idempotency-Key or If-Match, so a change is made once)",
                    List.of());
            ((MutableHttpResponse<Problem>) response).header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfter));
            return response;
        }
        LOG.error("unexpected error on {}", request.getPath(), e);
        return ProblemResponses.of(request, 500, ProblemTypes.INTERNAL, "Internal Server Error",
                "an unexpected error occurred; it has been logged", List.of());
    }
}
