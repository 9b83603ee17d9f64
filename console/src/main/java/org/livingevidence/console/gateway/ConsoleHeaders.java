package org.livingevidence.console.gateway;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The console's pages run only their own scripts and styles and talk only to their own origin: a record label
 * that holds markup stays text, and no page can be framed. Responses that carry a policy of their own (the
 * services' plots) keep it.
 */
@ServerFilter("/**")
final class ConsoleHeaders {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ResponseFilter
    void secure(MutableHttpResponse<?> response) {
        apply(response);
    }

    /** Also called by the gateway: a response a filter produces itself does not pass the response filters. */
    static MutableHttpResponse<?> apply(MutableHttpResponse<?> response) {
        if (!response.getHeaders().contains("Content-Security-Policy")) {
            response.header("Content-Security-Policy", POLICY);
        }
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        response.header("X-Frame-Options", "DENY");
        if (!response.getHeaders().contains("Cache-Control")) {
            // Pages are small and change with each release; API answers are the services' to cache.
            response.header("Cache-Control", "no-cache");
        }
        return response;
    }
}
