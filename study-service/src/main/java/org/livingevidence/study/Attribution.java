package org.livingevidence.study;

import io.micronaut.security.authentication.Authentication;

/** Who a revision is attributed to: the authenticated curator, as {@code curator:<name>}. */
public final class Attribution {

    private Attribution() {
    }

    public static String of(Authentication curator) {
        return "curator:" + curator.getName();
    }
}
