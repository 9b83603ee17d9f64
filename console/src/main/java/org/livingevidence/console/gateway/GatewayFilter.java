package org.livingevidence.console.gateway;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.client.ProxyHttpClient;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Forwards the console's API calls to the service that owns them, so the browser talks to one origin. The caller's
 * bearer token goes with the request and the service decides; nothing the console adds can grant anything. Headers
 * a browser sends about itself (cookies, forwarding claims) are dropped on the way. Redirects are never followed
 * (the token would go along to wherever they point): a service's redirect reaches the page as it is.
 */
@Filter({"/study/**", "/analysis/**", "/notify/**"})
public final class GatewayFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayFilter.class);
    private static final List<String> DROPPED = List.of(HttpHeaders.HOST, HttpHeaders.COOKIE, "Forwarded", "X-Forwarded-For",
            "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP");

    /** How long a page waits for a service: bulk imports take a while at study-service; nothing else should. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final Duration IMPORT_PATIENCE = Duration.ofSeconds(120);

    private final ProxyHttpClient client;
    private final ServiceRoutes routes;

    GatewayFilter(ProxyHttpClient client, ServiceRoutes routes) {
        this.client = client;
        this.routes = routes;
    }

    static Duration patience(String servicePath) {
        // .../outcome-records/import and /api/v1/reviews/import (the path holds no query).
        return servicePath.endsWith("/import") ? IMPORT_PATIENCE : PATIENCE;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String rawPath = request.getUri().getRawPath();
        Optional<ServiceRoutes.Target> target = routes.resolve(rawPath);
        if (target.isEmpty()) {
            return Flux.just(ConsoleHeaders.apply(ConsoleProblems.notFound(rawPath)));
        }
        ServiceRoutes.Target to = target.get();
        var forwarded = request.mutate().uri(b -> b.scheme(to.service().getScheme()).host(to.service().getHost())
                .port(to.service().getPort()).replacePath(to.path()));
        DROPPED.forEach(name -> forwarded.getHeaders().remove(name));
        String service = rawPath.substring(1, rawPath.indexOf('/', 1));
        return Flux.from(client.proxy(forwarded)).timeout(patience(to.path())).<MutableHttpResponse<?>>map(ConsoleHeaders::apply).onErrorResume(e -> {
            LOG.warn("{} did not answer {} {}: {}", service, request.getMethodName(), rawPath, e.toString());
            return Flux.just(ConsoleHeaders.apply(ConsoleProblems.serviceUnavailable(service, rawPath)));
        });
    }
}
