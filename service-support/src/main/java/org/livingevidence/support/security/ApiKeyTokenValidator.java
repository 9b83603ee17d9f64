package org.livingevidence.support.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Accepts {@code Authorization: Bearer lek_...} API keys next to JWTs (which micronaut-security-jwt validates when
 * a signing secret or JWKS is configured). Anything that is not one of our keys is left to the other validators.
 */
@Singleton
@Requires(classes = TokenValidator.class)
class ApiKeyTokenValidator implements TokenValidator<HttpRequest<?>> {

    private final ApiKeys keys;
    private final ExecutorService blocking;

    ApiKeyTokenValidator(ApiKeys keys, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.keys = keys;
        this.blocking = blocking;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        if (token == null || !token.startsWith(ApiKeys.PREFIX)) {
            return Publishers.empty();
        }
        // The key lookup is a blocking MongoDB read: keep it off the event loop. A null result means "not valid".
        return Publishers.fromCompletableFuture(CompletableFuture.supplyAsync(
                () -> keys.holder(token).map(h -> Authentication.build(h.name(), h.roles())).orElse(null), blocking));
    }
}
