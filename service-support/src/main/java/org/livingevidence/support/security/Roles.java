package org.livingevidence.support.security;

/** The roles an API key or a JWT ({@code roles} claim) can carry. */
public final class Roles {

    /** Enters and revises questions, studies and outcome records. */
    public static final String CURATOR = "CURATOR";
    /** Reads the registry when reads are configured to need a role. */
    public static final String READER = "READER";
    /** Owns subscriptions in notify-service. */
    public static final String SUBSCRIBER = "SUBSCRIBER";
    /** Issues API keys. */
    public static final String ADMIN = "ADMIN";

    public static final java.util.List<String> ALL = java.util.List.of(CURATOR, READER, SUBSCRIBER, ADMIN);

    private Roles() {
    }
}
