package org.livingevidence.support.problems;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteMatch;
import java.util.List;

/**
 * The largest body each endpoint reads, refused before it is read: 2 MiB for JSON requests (far above the longest
 * valid one), the bulk import's own cap for an {@link UploadEndpoint}'s. A body sent without a length (chunked) is bounded by
 * {@code micronaut.server.max-request-size}, the import's cap, and by what the endpoint parses.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class BodySizeLimit implements io.micronaut.core.order.Ordered {

    /** Just after security: a request without a valid key is told 401 first, and filters that admit work come after. */
    public static final int ORDER = io.micronaut.http.filter.ServerFilterPhase.SECURITY.after();

    /** The largest JSON request body of any endpoint. */
    public static final long JSON_BYTES = 2L * 1024 * 1024;
    /** The largest upload (an {@link UploadEndpoint}'s); also {@code micronaut.server.max-request-size}. */
    public static final long UPLOAD_BYTES = 16L * 1024 * 1024;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @RequestFilter
    @Nullable
    HttpResponse<Problem> limit(HttpRequest<?> request, @Nullable RouteMatch<?> route) {
        long length = request.getContentLength();
        long allowed = route != null && route.getAnnotationMetadata().hasAnnotation(UploadEndpoint.class) ? UPLOAD_BYTES : JSON_BYTES;
        if (length > allowed) {
            return ProblemResponses.of(request, 413, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large",
                    "the body has " + length + " bytes; this endpoint takes at most " + allowed,
                    List.of(new Problem.FieldError("body", "at most " + allowed + " bytes")));
        }
        return null;
    }
}
