package org.livingevidence.support.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import org.reactivestreams.Publisher;

/**
 * One rule for every read on every service ({@code evidence.security.read-access}, env {@code EVIDENCE_READ_ACCESS}):
 * {@code ANONYMOUS} (the default) lets anyone read; {@code READER} requires a key or JWT with READER, CURATOR or
 * ADMIN. Reads are GET and HEAD under {@code /api/} (registry, estimates, history) and {@code /feeds/questions/},
 * {@code POST /api/v1/analyses} and {@code POST /api/v1/analyses/plots/forest.svg} (computations that change nothing) and {@code POST /api/v1/questions/{id}/export/{file}}
 * (the data of a posted estimate). Endpoints with their own
 * {@code @Secured} roles (subscriptions, keys, admin) are decided by those annotations, which run first; feeds and
 * links that carry their own capability token are annotated anonymous.
 */
@Singleton
class ReadAccessRule implements SecurityRule<HttpRequest<?>> {

    /** After the {@code @Secured} annotations, before the configured intercept-url map. */
    static final int ORDER = SecuredAnnotationRule.ORDER + 50;
    private static final java.util.regex.Pattern EXPORT_OF_AN_ESTIMATE = java.util.regex.Pattern.compile("/api/v1/questions/[^/]+/export/[^/]+");
    static final List<String> READING_ROLES = List.of(Roles.READER, Roles.CURATOR, Roles.ADMIN);

    private final boolean readerRequired;

    ReadAccessRule(@Value("${evidence.security.read-access:ANONYMOUS}") String readAccess) {
        String mode = readAccess.strip().toUpperCase(Locale.ROOT);
        if (mode.equals("READER")) {
            this.readerRequired = true;
        } else if (mode.equals("ANONYMOUS") || mode.equals("ISANONYMOUS()")) {
            this.readerRequired = false;
        } else {
            throw new IllegalStateException("evidence.security.read-access (EVIDENCE_READ_ACCESS) must be ANONYMOUS or READER, was " + readAccess);
        }
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null || !isRead(request)) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        if (!readerRequired) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        boolean mayRead = authentication != null && authentication.getRoles().stream().anyMatch(READING_ROLES::contains);
        return Publishers.just(mayRead ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }

    static boolean isRead(HttpRequest<?> request) {
        String path = request.getPath();
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return path.startsWith("/api/") || path.startsWith("/feeds/questions/");
        }
        return method == HttpMethod.POST && (path.equals("/api/v1/analyses") || path.equals("/api/v1/analyses/plots/forest.svg")
                || EXPORT_OF_AN_ESTIMATE.matcher(path).matches());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
