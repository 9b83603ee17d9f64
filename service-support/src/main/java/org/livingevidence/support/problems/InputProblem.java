package org.livingevidence.support.problems;

import java.util.List;

/**
 * Thrown by request handling when input is refused; becomes a problem+json response. Nothing is written before
 * it is thrown.
 */
public class InputProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final transient List<Problem.FieldError> errors;

    public InputProblem(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 422: well-formed input that breaks a rule; each error names its field. */
    public static InputProblem invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new InputProblem(422, ProblemTypes.VALIDATION, "Invalid input", detail, errors);
    }

    public static InputProblem invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** 404 for a resource named in the path. */
    public static InputProblem notFound(String what, String id) {
        return new InputProblem(404, ProblemTypes.NOT_FOUND, "Not found", what + " " + id + " does not exist", List.of());
    }

    /** 409: the request is valid but clashes with what is stored. */
    public static InputProblem conflict(String field, String message) {
        return new InputProblem(409, ProblemTypes.CONFLICT, "Conflict", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** 412: the If-Match revision is not the current one; the client must re-read and re-apply its change. */
    public static InputProblem staleRevision(String what, String id, String given, long current) {
        return new InputProblem(412, ProblemTypes.PRECONDITION_FAILED, "Precondition failed",
                what + " " + id + " is at revision " + current + " (ETag \"" + current + "\"), not " + given
                        + ": read it again and re-apply your change", List.of(new Problem.FieldError("If-Match", "stale revision " + given)));
    }

    /** 428: an update must say which revision it changes. */
    public static InputProblem revisionRequired(String what, String id) {
        return new InputProblem(428, ProblemTypes.PRECONDITION_REQUIRED, "Precondition required",
                "updating " + what + " " + id + " needs an If-Match header with the ETag of the revision you read",
                List.of(new Problem.FieldError("If-Match", "is required")));
    }

    /**
     * 429: every place of a bounded pool is taken, {@code why}; {@code notDone} says so of the body. The client is told
     * when to try again ({@code Retry-After}, and in the detail), drawn per answer from {@code retryAfterSeconds} to
     * twice that ({@link RetryAfter}).
     */
    public static InputProblem tooManyRequests(String why, String notDone, int retryAfterSeconds) {
        int wait = RetryAfter.spread(retryAfterSeconds);
        return new InputProblem(429, ProblemTypes.TOO_MANY_REQUESTS, "Too many requests", why + "; retry in " + wait + " seconds",
                List.of(new Problem.FieldError("body", notDone))) {
            @Override
            public Integer retryAfterSeconds() {
                return wait;
            }
        };
    }

    /** 422: an Idempotency-Key seen before came with a different request. */
    public static InputProblem idempotencyKeyReused(String key) {
        return new InputProblem(422, ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key reused",
                "Idempotency-Key " + key + " was already used with a different request; use a new key for a new request",
                List.of(new Problem.FieldError("Idempotency-Key", "was used with a different request")));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** For 429 and 503: when the client may try again (the Retry-After header), or null. */
    public Integer retryAfterSeconds() {
        return null;
    }
}
