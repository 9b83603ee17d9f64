package org.livingevidence.console.gateway;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The console's own errors, in the problem+json shape every service answers with (docs/errors.md). */
public final class ConsoleProblems {

    private static final String BASE = "https://livingevidence.org/problems/";

    private ConsoleProblems() {
    }

    /** A service behind the console did not answer: the console itself is fine, try again shortly. */
    public static MutableHttpResponse<Map<String, Object>> serviceUnavailable(String service, String path) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
                service + " did not answer; try again in a moment", path).header("Retry-After", "5");
    }

    /** The console has as many of something open as it allows (live streams): try again shortly. */
    public static MutableHttpResponse<Map<String, Object>> busy(String what, String path) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
                "the console has as many " + what + " open as it allows; try again in a moment", path).header("Retry-After", "30");
    }

    public static MutableHttpResponse<Map<String, Object>> notFound(String path) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "the console has no page or API route " + path, path);
    }

    /** The caller may not read the question (401: no valid token; 403: a token without the role reads need). */
    public static MutableHttpResponse<Map<String, Object>> refused(HttpStatus status, String path) {
        return status == HttpStatus.UNAUTHORIZED
                ? problem(status, "unauthenticated", "Unauthenticated", "a valid API key or JWT is needed to read this question", path)
                : problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "this key or token may not read this question", path);
    }

    static MutableHttpResponse<Map<String, Object>> problem(HttpStatus status, String type, String title, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", BASE + type);
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", detail);
        body.put("instance", instance);
        return HttpResponse.<Map<String, Object>>status(status).body(body).contentType("application/problem+json");
    }
}
