package org.livingevidence.study;

import io.micronaut.security.authentication.Authentication;
import org.livingevidence.support.security.Caller;

/**
 * Who a revision is attributed to: the caller's stable principal id ({@code key:k_3f9c2a71d04b8e56} for an API
 * key, {@code jwt:<sub>@<iss>} for a JWT), never a display name, which says nothing about who may act.
 */
public final class Attribution {

    private Attribution() {
    }

    public static String of(Authentication curator) {
        return Caller.of(curator).principalId();
    }
}
