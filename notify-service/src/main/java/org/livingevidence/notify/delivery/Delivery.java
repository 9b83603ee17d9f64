package org.livingevidence.notify.delivery;

import java.time.Instant;
import java.util.List;

/**
 * One alert owed to one subscription. Its id is {@code subscriptionId~shiftId}, unique in MongoDB, so a
 * conclusion shift becomes at most one delivery per subscription however often the event is redelivered; the id
 * is also the {@code webhook-id} header, the same on every attempt.
 *
 * @param nextAttemptAtMillis epoch milliseconds: a number, so that "due" is a plain range query
 */
public record Delivery(String id, String subscriptionId, String shiftId, String questionId, String url, String body,
                       Status status, int attemptCount, long nextAttemptAtMillis, List<Attempt> attempts,
                       Instant createdAt) {

    public Delivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public enum Status { PENDING, DELIVERED, DEAD }

    /**
     * One HTTP attempt: the status code, or the error when no response came.
     *
     * @param retryAfterSeconds the receiver's Retry-After, in seconds from the attempt, or null
     */
    public record Attempt(Instant at, Integer statusCode, long latencyMs, String error, String responseExcerpt,
                          Long retryAfterSeconds) {

        boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        /** 410 Gone: the receiver says the endpoint no longer exists. */
        boolean gone() {
            return statusCode != null && statusCode == 410;
        }
    }

    public static String idFor(String subscriptionId, String shiftId) {
        // '~' is unreserved in URLs, so the id can stand in a path (redelivery).
        return subscriptionId + "~" + shiftId;
    }
}
