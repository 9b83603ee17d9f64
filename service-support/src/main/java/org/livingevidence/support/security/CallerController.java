package org.livingevidence.support.security;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;

/**
 * {@code GET /api/v1/caller}: who the presented key or token is and which roles it holds, on every service. The
 * console signs in with it; a script can check a key before it relies on it. Nothing secret is shown.
 */
@Controller("/api/v1/caller")
public class CallerController {

    /** The caller: its stable principal id, a name for people and its roles, sorted. */
    public record CallerView(String principalId, String displayName, List<String> roles) {
    }

    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    CallerView caller(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        return new CallerView(caller.principalId(), caller.displayName(), authentication.getRoles().stream().sorted().toList());
    }
}
