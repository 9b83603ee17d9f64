package org.livingevidence.notify.subscriptions;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.livingevidence.notify.delivery.Delivery;
import org.livingevidence.notify.delivery.DeliveryRepository;
import org.livingevidence.notify.delivery.DeliveryWorker;
import org.livingevidence.support.secrets.SecretBox;

/**
 * Consent for email: a new email subscription waits, PENDING_CONFIRMATION, until someone who reads the address
 * follows the link sent there; no alert is matched to it before. The link's token is stored as a digest on the
 * subscription and, until the email is sent, encrypted on the delivery that carries it.
 */
@Singleton
public class EmailConfirmations {

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final DeliveryWorker worker;
    private final SecretBox secrets;
    private final Clock clock;
    private final Duration validity;

    EmailConfirmations(SubscriptionRepository subscriptions, DeliveryRepository deliveries, DeliveryWorker worker, SecretBox secrets,
                       Clock clock, @Value("${evidence.delivery.confirmation-validity:72h}") Duration validity) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.worker = worker;
        this.secrets = secrets;
        this.clock = clock;
        this.validity = validity;
    }

    /** Sends a new confirmation link for a pending email subscription; an earlier link stops working. */
    void request(Subscription subscription) {
        Instant now = clock.instant();
        String token = SubscriptionTokens.newToken(subscription.id());
        subscriptions.awaitConfirmation(subscription.id(), SubscriptionTokens.digest(token), now.plus(validity));
        String requestId = HexFormat.of().formatHex(SubscriptionTokens.randomBytes(6));
        String deliveryId = Delivery.idFor(subscription.id(), "confirmation-" + requestId);
        deliveries.insertIfAbsent(Delivery.confirmation(subscription, requestId,
                secrets.seal(token, Delivery.confirmationSealedAt(deliveryId)), now));
        worker.wake();
    }

    /** The outcome of following a confirmation link. */
    enum Outcome { CONFIRMED, ALREADY_ACTIVE, EXPIRED, INVALID }

    /** Checks a link's token without changing anything (for the page that asks to confirm). */
    Optional<Subscription> pending(String token) {
        return SubscriptionTokens.subscriptionId(token).flatMap(subscriptions::find)
                .filter(s -> SubscriptionTokens.matches(token, s.confirmationTokenDigest()));
    }

    Outcome confirm(String token) {
        Optional<Subscription> found = SubscriptionTokens.subscriptionId(token).flatMap(subscriptions::find);
        if (found.isEmpty()) {
            return Outcome.INVALID;
        }
        Subscription s = found.get();
        if (s.status() == Subscription.Status.ACTIVE && s.confirmedAt() != null) {
            return Outcome.ALREADY_ACTIVE;
        }
        if (!SubscriptionTokens.matches(token, s.confirmationTokenDigest())) {
            return Outcome.INVALID;
        }
        if (s.confirmationExpiresAt() == null || !clock.instant().isBefore(s.confirmationExpiresAt())) {
            return Outcome.EXPIRED;
        }
        return subscriptions.confirm(s.id(), clock.instant()) ? Outcome.CONFIRMED : Outcome.INVALID;
    }
}
