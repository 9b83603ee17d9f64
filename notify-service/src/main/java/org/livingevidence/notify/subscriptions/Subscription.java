package org.livingevidence.notify.subscriptions;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.alerts.AlertKind;

/**
 * A subscriber's interest in some questions, and where its alerts go.
 *
 * @param owner                     the authenticated subscriber who created it; only they (and admins) see it
 * @param questionIds               questions followed by id (may be empty when tags are given)
 * @param tags                      questions followed by tag: any question carrying one of them
 * @param kinds                     what to alert on
 * @param estimateMovedBy           for {@link AlertKind#ESTIMATE_MOVED}: the relative move that matters (0.10 = 10%)
 * @param channel                   WEBHOOK, EMAIL or FEED (the Atom feed of the subscription only)
 * @param secret                    the webhook signing secret ({@code whsec_...}); shown only at creation and rotation
 * @param previousSecret            the secret before the last rotation, still signing until {@code previousSecretExpiresAt}
 * @param feedToken                 the capability in the subscription's feed and unsubscribe URLs
 * @param consecutiveDeadDeliveries deliveries in a row that exhausted their retries (reset by a success)
 * @param disabledReason            why the subscription was disabled, or null
 */
public record Subscription(String id, String owner, List<String> questionIds, List<String> tags, List<AlertKind> kinds,
                           Double estimateMovedBy, Channel channel, String webhookUrl, String email, String secret,
                           String previousSecret, Instant previousSecretExpiresAt, String feedToken, Status status,
                           Instant createdAt, Integer consecutiveDeadDeliveries, String disabledReason) {

    public Subscription {
        questionIds = questionIds == null ? List.of() : List.copyOf(questionIds);
        tags = tags == null ? List.of() : List.copyOf(tags);
        kinds = kinds == null ? AlertKind.CONCLUSION_SHIFTS : List.copyOf(kinds);
    }

    public enum Status { ACTIVE, DISABLED }

    public enum Channel { WEBHOOK, EMAIL, FEED }

    public boolean wantsAny(List<AlertKind> offered) {
        return offered.stream().anyMatch(kinds::contains);
    }

    /** The secrets a webhook is signed with now: the current one, and the previous one during the overlap. */
    public List<String> signingSecrets(Instant now) {
        if (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)) {
            return List.of(secret, previousSecret);
        }
        return secret == null ? List.of() : List.of(secret);
    }
}
