package org.livingevidence.support.problems;

/** The problem type URIs; each is documented in docs/errors.md. */
public final class ProblemTypes {

    private static final String BASE = "https://livingevidence.org/problems/";

    public static final String VALIDATION = BASE + "validation";
    public static final String MALFORMED = BASE + "malformed-request";
    public static final String NOT_FOUND = BASE + "not-found";
    public static final String CONFLICT = BASE + "conflict";
    public static final String PRECONDITION_FAILED = BASE + "precondition-failed";
    public static final String PRECONDITION_REQUIRED = BASE + "precondition-required";
    public static final String IDEMPOTENCY_KEY_REUSED = BASE + "idempotency-key-reused";
    public static final String UNAUTHENTICATED = BASE + "unauthenticated";
    public static final String FORBIDDEN = BASE + "forbidden";
    public static final String PAYLOAD_TOO_LARGE = BASE + "payload-too-large";
    public static final String REQUEST_TIMEOUT = BASE + "request-timeout";
    public static final String TOO_MANY_REQUESTS = BASE + "too-many-requests";
    public static final String STORAGE_UNAVAILABLE = BASE + "storage-unavailable";
    public static final String INTERNAL = BASE + "internal";
    /** For errors Micronaut itself raises (unsupported media type, method not allowed...). */
    public static final String HTTP = BASE + "http";

    private ProblemTypes() {
    }
}
