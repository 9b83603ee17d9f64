package org.livingevidence.support.security;

import java.util.List;
import org.livingevidence.contracts.events.ApiKeyRevised.Role;

/**
 * The roles an API key or a JWT ({@code roles} claim) can carry, as the constants {@code @Secured} needs; they are
 * the names of the contract's {@link Role}.
 */
public final class Roles {

    /** Enters and revises questions, studies and outcome records. */
    public static final String CURATOR = "CURATOR";
    /** Reads the registry, estimates, analyses and feeds when reads are configured to need a role. */
    public static final String READER = "READER";
    /** Owns subscriptions in notify-service. */
    public static final String SUBSCRIBER = "SUBSCRIBER";
    /** Issues, lists and revokes API keys; sees every subscription; re-drives dead letters. */
    public static final String ADMIN = "ADMIN";

    public static final List<String> ALL = java.util.Arrays.stream(Role.values()).map(Enum::name).toList();

    private Roles() {
    }
}
