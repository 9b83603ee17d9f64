package org.livingevidence.notify.delivery;

import java.time.Instant;
import java.util.List;
import org.livingevidence.notify.subscriptions.Subscription;

/**
 * One alert owed to one subscription. Its id is {@code subscriptionId~alertId}, unique in MongoDB, so a
 * conclusion shift (or estimate) becomes at most one delivery per subscription however often the event is
 * redelivered and however many instances consume it; the id is also the {@code webhook-id} header, the same on
 * every attempt. Feed-only subscriptions get deliveries too, recorded as delivered: the feed is read from them.
 *
 * @param alertId             the shift id, or {@code questionId:estimateVersion} for an estimate alert
 * @param url                 the webhook URL (WEBHOOK channel)
 * @param email               the address (EMAIL channel)
 * @param body                the alert as JSON, byte-identical on every attempt (it is what the signature covers)
 * @param nextAttemptAtMillis epoch milliseconds: a number, so that "due" is a plain range query
 */
public record Delivery(String id, String subscriptionId, String alertId, String questionId, Subscription.Channel channel,
                       String url, String email, String body, Status status, int attemptCount, long nextAttemptAtMillis,
                       List<Attempt> attempts, Instant createdAt, Kind kind) {

    public Delivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        kind = kind == null ? Kind.ALERT : kind;
    }

    public enum Status { PENDING, DELIVERED, DEAD }

    /**
     * ALERT: an alert to an active subscription ({@code body} is the alert JSON). CONFIRMATION: the email asking
     * the address's owner to confirm a pending subscription ({@code body} is the link's token, encrypted).
     */
    public enum Kind { ALERT, CONFIRMATION }

    /** A new delivery of {@code body} to the subscription's channel, due now (or already delivered, for a feed). */
    public static Delivery of(Subscription subscription, String alertId, String questionId, String body, Instant now) {
        boolean feedOnly = subscription.channel() == Subscription.Channel.FEED;
        return new Delivery(idFor(subscription.id(), alertId), subscription.id(), alertId, questionId, subscription.channel(),
                subscription.webhookUrl(), subscription.email(), body, feedOnly ? Status.DELIVERED : Status.PENDING, 0,
                feedOnly ? Long.MAX_VALUE : now.toEpochMilli(), List.of(), now, Kind.ALERT);
    }

    /** The email that asks the owner of a pending subscription's address to confirm it, due now. */
    public static Delivery confirmation(Subscription subscription, String requestId, String sealedToken, Instant now) {
        String alertId = "confirmation-" + requestId;
        return new Delivery(idFor(subscription.id(), alertId), subscription.id(), alertId, null, Subscription.Channel.EMAIL,
                null, subscription.email(), sealedToken, Status.PENDING, 0, now.toEpochMilli(), List.of(), now, Kind.CONFIRMATION);
    }

    /** Where a confirmation delivery's token is sealed (the associated data of its encryption). */
    public static String confirmationSealedAt(String deliveryId) {
        return "delivery/" + deliveryId + "/confirmation";
    }

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

    public static String idFor(String subscriptionId, String alertId) {
        // '~' is unreserved in URLs, so the id can stand in a path (redelivery).
        return subscriptionId + "~" + alertId;
    }
}
