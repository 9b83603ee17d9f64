package org.livingevidence.notify.subscriptions;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.alerts.AlertKind;

/**
 * A subscriber's interest in some questions, and where its alerts go. Secrets are held here in plaintext; the
 * repository encrypts them at rest ({@link org.livingevidence.support.secrets.SecretBox}) and stores only digests of
 * the tokens it never needs to show again.
 *
 * @param owner                     principal id of the subscriber who created it; only they (and admins) see it
 * @param questionIds               questions followed by id (may be empty when tags are given)
 * @param tags                      questions followed by tag: any question carrying one of them
 * @param kinds                     what to alert on
 * @param estimateMovedBy           for {@link AlertKind#ESTIMATE_MOVED}: the relative move that matters (0.10 = 10%)
 * @param channel                   WEBHOOK, EMAIL or FEED (the Atom feed of the subscription only)
 * @param secret                    the webhook signing secret ({@code whsec_...}); shown only at creation and rotation
 * @param previousSecret            the secret before the last rotation, still signing until {@code previousSecretExpiresAt}
 * @param feedTokenDigest           SHA-256 of the token in the subscription's feed URL (shown at creation and rotation)
 * @param unsubscribeToken          the token in every email's unsubscribe link (needed at every send, so encrypted at rest)
 * @param unsubscribeTokenDigest    its SHA-256, which the unsubscribe link is checked against
 * @param confirmationTokenDigest   email only: SHA-256 of the token in the pending confirmation link
 * @param confirmationExpiresAt     when that link stops working
 * @param confirmedAt               when the address's owner confirmed (email), or null
 * @param consecutiveDeadDeliveries deliveries in a row that exhausted their retries (reset by a success)
 * @param disabledReason            why the subscription was disabled, or null
 */
public record Subscription(String id, String owner, List<String> questionIds, List<String> tags, List<AlertKind> kinds,
                           Double estimateMovedBy, Channel channel, String webhookUrl, String email, String secret,
                           String previousSecret, Instant previousSecretExpiresAt, String feedTokenDigest,
                           String unsubscribeToken, String unsubscribeTokenDigest, String confirmationTokenDigest,
                           Instant confirmationExpiresAt, Instant confirmedAt, Status status, Instant createdAt,
                           Integer consecutiveDeadDeliveries, String disabledReason) {

    public Subscription {
        questionIds = questionIds == null ? List.of() : List.copyOf(questionIds);
        tags = tags == null ? List.of() : List.copyOf(tags);
        kinds = kinds == null ? AlertKind.CONCLUSION_SHIFTS : List.copyOf(kinds);
    }

    /** An email subscription is PENDING_CONFIRMATION until its address's owner follows the link sent there. */
    public enum Status { PENDING_CONFIRMATION, ACTIVE, DISABLED }

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
