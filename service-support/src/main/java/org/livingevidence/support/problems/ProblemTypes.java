package org.livingevidence.support.problems;

/** The problem type URIs; each is documented in docs/errors.md. */
public final class ProblemTypes {

    private static final String BASE = "https://livingevidence.org/problems/";

    public static final String VALIDATION = BASE + "validation";
    public static final String MALFORMED = BASE + "malformed-request";
    public static final String NOT_FOUND = BASE + "not-found";
    public static final String CONFLICT = BASE + "conflict";
    public static final String INTERNAL = BASE + "internal";
    /** For errors Micronaut itself raises (unsupported media type, method not allowed...). */
    public static final String HTTP = BASE + "http";

    private ProblemTypes() {
    }
}
