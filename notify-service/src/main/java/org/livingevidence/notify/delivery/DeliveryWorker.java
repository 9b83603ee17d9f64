package org.livingevidence.notify.delivery;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;
import org.livingevidence.support.work.PollingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries (webhooks and emails), one at a time, and records every attempt. State lives in MongoDB, so pending deliveries
 * survive a restart and several instances can share the work (each claims a delivery before sending it).
 */
@Singleton
public class DeliveryWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Longer than the request timeout, so a claimed delivery is not sent twice at once. */
    private static final long LEASE_MILLIS = 60_000;

    private final DeliveryRepository deliveries;
    private final SubscriptionRepository subscriptions;
    private final WebhookSender webhooks;
    private final AlertMailer mailer;
    private final DeliverySettings settings;
    private final Clock clock;
    private final PollingWorker worker;

    DeliveryWorker(DeliveryRepository deliveries, SubscriptionRepository subscriptions, WebhookSender webhooks,
                   AlertMailer mailer, DeliverySettings settings, Clock clock) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.webhooks = webhooks;
        this.mailer = mailer;
        this.settings = settings;
        this.clock = clock;
        this.worker = new PollingWorker("webhook-delivery", settings.pollInterval(), this::deliverOne);
    }

    public void start() {
        worker.start();
    }

    /** New deliveries were stored: look now rather than at the next poll. */
    public void wake() {
        worker.wake();
    }

    /** Sends one due delivery, if there is one. */
    boolean deliverOne() {
        long now = clock.millis();
        Optional<Delivery> due = deliveries.claimDue(now, LEASE_MILLIS);
        if (due.isEmpty()) {
            return false;
        }
        Delivery delivery = due.get();
        Optional<Subscription> subscription = subscriptions.find(delivery.subscriptionId());
        if (subscription.isEmpty() || subscription.get().status() != Subscription.Status.ACTIVE) {
            deliveries.recordAttempt(delivery, new Delivery.Attempt(clock.instant(), null, 0, "subscription is not active", null, null),
                    Delivery.Status.DEAD, Long.MAX_VALUE);
            return true;
        }
        Delivery.Attempt attempt = delivery.channel() == Subscription.Channel.EMAIL
                ? mailer.send(delivery, subscription.get())
                : webhooks.send(delivery, subscription.get().signingSecrets(clock.instant()));
        int attempts = delivery.attemptCount() + 1;
        String subscriptionId = delivery.subscriptionId();
        if (attempt.succeeded()) {
            deliveries.recordAttempt(delivery, attempt, Delivery.Status.DELIVERED, Long.MAX_VALUE);
            subscriptions.recordDelivered(subscriptionId);
        } else if (attempt.gone()) {
            deliveries.recordAttempt(delivery, attempt, Delivery.Status.DEAD, Long.MAX_VALUE);
            subscriptions.disable(subscriptionId, "the endpoint answered 410 Gone");
        } else if (attempts >= settings.maxAttempts()) {
            LOG.warn("delivery {} is dead after {} attempts", delivery.id(), attempts);
            deliveries.recordAttempt(delivery, attempt, Delivery.Status.DEAD, Long.MAX_VALUE);
            if (subscriptions.recordDeadDelivery(subscriptionId) >= settings.disableAfterDeadDeliveries()) {
                subscriptions.disable(subscriptionId, settings.disableAfterDeadDeliveries() + " deliveries in a row failed every retry");
            }
        } else {
            deliveries.recordAttempt(delivery, attempt, Delivery.Status.PENDING, clock.millis() + waitBeforeRetry(attempt, attempts).toMillis());
        }
        return true;
    }

    /** The schedule's wait, or the receiver's Retry-After when longer (capped). */
    private Duration waitBeforeRetry(Delivery.Attempt attempt, int attempts) {
        Duration scheduled = settings.delayAfter(attempts, ThreadLocalRandom.current().nextDouble());
        if (attempt.retryAfterSeconds() == null) {
            return scheduled;
        }
        Duration asked = Duration.ofSeconds(attempt.retryAfterSeconds());
        Duration capped = asked.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : asked;
        return capped.compareTo(scheduled) > 0 ? capped : scheduled;
    }

    @PreDestroy
    void stop() {
        worker.close();
    }
}
