package org.livingevidence.console.gateway;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which service answers which console path: {@code /study/api/v1/...} is study-service's {@code /api/v1/...}, and so
 * on. Only the services' APIs and feeds are reachable; health, metrics and anything else stay private, and a path
 * that could climb out of its prefix ({@code ..}, encoded or not) reaches nothing.
 */
@Singleton
public final class ServiceRoutes {

    /** A console path prefix, the service behind it and the service paths it may reach. */
    record Route(String prefix, URI service, List<String> allowed) {
    }

    /** Where one console path goes. */
    public record Target(URI service, String path) {
    }

    private final List<Route> routes;

    ServiceRoutes(@Value("${evidence.console.study-url}") URI study, @Value("${evidence.console.analysis-url}") URI analysis,
                  @Value("${evidence.console.notify-url}") URI notify) {
        this.routes = List.of(new Route("/study", study, List.of("/api/v1/")),
                new Route("/analysis", analysis, List.of("/api/v1/")),
                new Route("/notify", notify, List.of("/api/v1/", "/feeds/")));
    }

    /** The service and path a raw (still encoded) console path goes to, if any. */
    public Optional<Target> resolve(String rawPath) {
        if (rawPath == null || climbs(rawPath)) {
            return Optional.empty();
        }
        for (Route route : routes) {
            if (rawPath.startsWith(route.prefix() + "/")) {
                String path = rawPath.substring(route.prefix().length());
                if (route.allowed().stream().anyMatch(path::startsWith)) {
                    return Optional.of(new Target(route.service(), path));
                }
            }
        }
        return Optional.empty();
    }

    /** The base URL of analysis-service, which says who may read a question's estimates. */
    public URI analysis() {
        return routes.get(1).service();
    }

    private static boolean climbs(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        return lower.contains("..") || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || lower.contains("\\") || lower.contains("//");
    }
}
