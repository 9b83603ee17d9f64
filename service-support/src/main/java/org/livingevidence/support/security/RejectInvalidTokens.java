package org.livingevidence.support.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.util.Locale;
import org.reactivestreams.Publisher;

/**
 * A bearer token that no validator accepted is refused with 401 everywhere, even where anonymous access is allowed:
 * a client that presents a forged, expired or revoked credential learns so at once (RFC 6750 invalid_token) instead
 * of being served silently as anonymous.
 */
@Singleton
class RejectInvalidTokens implements SecurityRule<HttpRequest<?>> {

    /** Before every other rule. */
    static final int ORDER = -10_000;

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request != null && authentication == null && hasBearerToken(request)) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        return Publishers.just(SecurityRuleResult.UNKNOWN);
    }

    static boolean hasBearerToken(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        return header != null && header.toLowerCase(Locale.ROOT).startsWith("bearer ");
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
