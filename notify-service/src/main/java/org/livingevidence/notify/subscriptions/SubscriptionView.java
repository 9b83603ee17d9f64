package org.livingevidence.notify.subscriptions;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.alerts.AlertKind;

/**
 * A subscription as its owner sees it. {@code secret} and the feed and unsubscribe links carry secrets: they are
 * present only in the response that created them (creation, rotation), since only their digests are kept readable.
 *
 * @param previousSecretExpiresAt when a rotated-out secret stops signing, or null
 */
public record SubscriptionView(String id, String owner, @Nullable List<String> questionIds, @Nullable List<String> tags,
                               List<AlertKind> shiftTypes, @Nullable Double estimateMovedBy, Subscription.Channel channel,
                               @Nullable SubscriptionRequest.Webhook webhook, @Nullable SubscriptionRequest.Email email,
                               @Nullable String secret, @Nullable Instant previousSecretExpiresAt, Subscription.Status status,
                               Instant createdAt, @Nullable Instant confirmedAt, @Nullable Integer consecutiveDeadDeliveries,
                               @Nullable String disabledReason, Links links) {

    /**
     * @param feed        the subscription's Atom feed with its token (at creation and feed-token rotation only)
     * @param unsubscribe the one-click unsubscribe link (at creation and unsubscribe-token rotation only)
     */
    public record Links(String self, String deliveries, @Nullable String feed, @Nullable String unsubscribe) {
    }

    /** What a response may reveal besides the stored fields: secrets just issued. */
    record Issued(String secret, String feedUrl, String unsubscribeUrl) {
        static final Issued NOTHING = new Issued(null, null, null);
    }

    static SubscriptionView of(Subscription s) {
        return view(s, Issued.NOTHING);
    }

    static SubscriptionView view(Subscription s, Issued issued) {
        return new SubscriptionView(s.id(), s.owner(), s.questionIds(), s.tags(), s.kinds(), s.estimateMovedBy(), s.channel(),
                s.webhookUrl() == null ? null : new SubscriptionRequest.Webhook(s.webhookUrl()),
                s.email() == null ? null : new SubscriptionRequest.Email(s.email()), issued.secret(), s.previousSecretExpiresAt(),
                s.status(), s.createdAt(), s.confirmedAt(), s.consecutiveDeadDeliveries(), s.disabledReason(),
                new Links("/api/v1/subscriptions/" + s.id(), "/api/v1/subscriptions/" + s.id() + "/deliveries",
                        issued.feedUrl(), issued.unsubscribeUrl()));
    }
}
