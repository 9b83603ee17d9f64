package org.livingevidence.notify.subscriptions;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.alerts.AlertKind;
import org.livingevidence.notify.PublicLinks;

/**
 * A subscription as its owner sees it. {@code secret} is present only in the response that created it.
 *
 * @param previousSecretExpiresAt when a rotated-out secret stops signing, or null
 */
public record SubscriptionView(String id, String owner, List<String> questionIds, List<String> tags,
                               List<AlertKind> shiftTypes, Double estimateMovedBy, Subscription.Channel channel,
                               SubscriptionRequest.Webhook webhook, SubscriptionRequest.Email email, String secret,
                               Instant previousSecretExpiresAt, Subscription.Status status, Instant createdAt,
                               Integer consecutiveDeadDeliveries, String disabledReason, Links links) {

    /** @param feed the subscription's Atom feed (it carries its own token: treat it as a secret too) */
    public record Links(String self, String deliveries, String feed, String unsubscribe) {
    }

    static SubscriptionView of(Subscription s, PublicLinks links) {
        return view(s, null, links);
    }

    static SubscriptionView withSecret(Subscription s, PublicLinks links) {
        return view(s, s.secret(), links);
    }

    private static SubscriptionView view(Subscription s, String secret, PublicLinks links) {
        return new SubscriptionView(s.id(), s.owner(), s.questionIds(), s.tags(), s.kinds(), s.estimateMovedBy(), s.channel(),
                s.webhookUrl() == null ? null : new SubscriptionRequest.Webhook(s.webhookUrl()),
                s.email() == null ? null : new SubscriptionRequest.Email(s.email()), secret, s.previousSecretExpiresAt(),
                s.status(), s.createdAt(), s.consecutiveDeadDeliveries(), s.disabledReason(),
                new Links("/api/v1/subscriptions/" + s.id(), "/api/v1/subscriptions/" + s.id() + "/deliveries",
                        links.subscriptionFeed(s), links.unsubscribe(s)));
    }
}
