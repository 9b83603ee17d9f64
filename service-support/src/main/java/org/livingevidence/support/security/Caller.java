package org.livingevidence.support.security;

import io.micronaut.security.authentication.Authentication;
import java.util.Map;

/**
 * Who made a request. {@code principalId} is stable and is what ownership and attribution are tied to: an API
 * key's id ({@code key:k_3f9c2a71d04b8e56}) or a JWT's subject at its issuer ({@code jwt:alice@https://idp.example}).
 * {@code displayName} is only for people to read: two keys can never share a name, but a name says nothing about
 * who may act.
 */
public record Caller(String principalId, String displayName) {

    static final String DISPLAY_NAME = "displayName";

    public static Caller of(Authentication authentication) {
        Object name = authentication.getAttributes().get(DISPLAY_NAME);
        return new Caller(authentication.getName(), name == null ? authentication.getName() : name.toString());
    }

    public static boolean isAdmin(Authentication authentication) {
        return authentication.getRoles().contains(Roles.ADMIN);
    }

    static Map<String, Object> attributes(String displayName) {
        return Map.of(DISPLAY_NAME, displayName);
    }
}
