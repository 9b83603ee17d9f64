package org.livingevidence.support.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.JWTProcessor;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a JWT when {@link JwtSettings} verifies it: signature by a configured key with an allowed algorithm, not
 * expired, already valid, and with the configured issuer and audience. Its principal id is
 * {@code jwt:<sub>@<iss>}; its roles come from the roles claim (unknown roles are ignored).
 */
@Singleton
class JwtTokenValidator implements TokenValidator<HttpRequest<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(JwtTokenValidator.class);

    private final Optional<JWTProcessor<SecurityContext>> processor;
    private final String rolesClaim;
    private final ExecutorService blocking;

    JwtTokenValidator(JwtSettings settings, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.processor = settings.processor();
        this.rolesClaim = settings.rolesClaim();
        this.blocking = blocking;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        if (processor.isEmpty() || token == null || ApiKeyFormat.looksLikeKey(token)) {
            return Publishers.empty();
        }
        // A JWKS may have to be fetched: never on the event loop. A null result means "not valid".
        return Publishers.fromCompletableFuture(CompletableFuture.supplyAsync(() -> verify(token), blocking));
    }

    Authentication verify(String token) {
        try {
            JWTClaimsSet claims = processor.orElseThrow().process(token, null);
            String issuer = claims.getIssuer();
            String principal = "jwt:" + claims.getSubject() + (issuer == null ? "" : "@" + issuer);
            String name = Optional.ofNullable(claims.getStringClaim("preferred_username"))
                    .or(() -> Optional.ofNullable(stringClaim(claims, "name"))).orElse(claims.getSubject());
            return Authentication.build(principal, roles(claims), Caller.attributes(name));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            LOG.debug("JWT refused: {}", e.getMessage());
            return null;
        }
    }

    private List<String> roles(JWTClaimsSet claims) {
        Object value = claims.getClaim(rolesClaim);
        List<String> roles = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.stream().map(String::valueOf).filter(Roles.ALL::contains).distinct().forEach(roles::add);
        } else if (value instanceof String single && Roles.ALL.contains(single)) {
            roles.add(single);
        }
        return roles;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
