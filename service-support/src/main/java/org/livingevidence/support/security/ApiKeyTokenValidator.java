package org.livingevidence.support.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Accepts {@code Authorization: Bearer lek_...} API keys; JWTs are {@link JwtTokenValidator}'s. The lookup is an
 * in-memory read of the {@link ApiKeyRegistry}, so it runs where it is called.
 */
@Singleton
class ApiKeyTokenValidator implements TokenValidator<HttpRequest<?>> {

    private final ApiKeyRegistry registry;

    ApiKeyTokenValidator(ApiKeyRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        return registry.authenticate(token)
                .map(h -> Publishers.just(Authentication.build(h.principalId(), h.roles(), Caller.attributes(h.name()))))
                .orElseGet(Publishers::empty);
    }
}
