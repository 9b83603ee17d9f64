package org.livingevidence.notify.delivery;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;
import org.livingevidence.support.work.PollingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries (webhooks and emails) and records every attempt. State lives in MongoDB, so pending deliveries
 * survive a restart and several instances can share the work (each claims a delivery before sending it).
 *
 * <p>{@code evidence.delivery.workers} threads send at once, and at most {@code evidence.delivery.per-endpoint} of
 * them to the same endpoint, while every attempt has a total deadline ({@link WebhookSender}): a receiver that hangs
 * or trickles its answer holds a few workers for a bounded time, and everyone else's alerts keep going.
 */
@Singleton
public class DeliveryWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Beyond an attempt's deadline, so a claimed delivery is not sent twice at once; a dead worker's claim ends with it. */
    private static final long LEASE_MARGIN_MILLIS = 10_000;

    private final DeliveryRepository deliveries;
    private final SubscriptionRepository subscriptions;
    private final WebhookSender webhooks;
    private final AlertMailer mailer;
    private final DeliverySettings settings;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final List<PollingWorker> workers = new ArrayList<>();
    /** Sends in flight per endpoint (webhook host and port, or the SMTP relay), so one slow receiver holds few workers. */
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    DeliveryWorker(DeliveryRepository deliveries, SubscriptionRepository subscriptions, WebhookSender webhooks,
                   AlertMailer mailer, DeliverySettings settings, Clock clock, DeliveryMetrics metrics) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.webhooks = webhooks;
        this.mailer = mailer;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        for (int i = 1; i <= settings.workers(); i++) {
            workers.add(new PollingWorker("delivery-" + i, settings.pollInterval(), this::deliverOne));
        }
    }

    public void start() {
        workers.forEach(PollingWorker::start);
    }

    /** New deliveries were stored: look now rather than at the next poll. */
    public void wake() {
        workers.forEach(PollingWorker::wake);
    }

    /** Sends one due delivery, if there is one. */
    boolean deliverOne() {
        long now = clock.millis();
        Optional<Delivery> due = deliveries.claimDue(now, settings.attemptDeadline().toMillis() + LEASE_MARGIN_MILLIS);
        if (due.isEmpty()) {
            return false;
        }
        Delivery delivery = due.get();
        String endpoint = endpoint(delivery);
        Semaphore slots = inFlight.computeIfAbsent(endpoint, e -> new Semaphore(settings.perEndpoint()));
        if (!slots.tryAcquire()) {
            // The endpoint already has its share of workers: hand this one back for a moment, no attempt counted.
            deliveries.postpone(delivery.id(), now + settings.pollInterval().toMillis());
            return true;
        }
        try {
            deliver(delivery);
        } finally {
            slots.release();
        }
        return true;
    }

    private static String endpoint(Delivery delivery) {
        if (delivery.channel() == Subscription.Channel.EMAIL) {
            return "smtp";
        }
        try {
            java.net.URI uri = java.net.URI.create(delivery.url());
            return uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return String.valueOf(delivery.url());
        }
    }

    private void deliver(Delivery delivery) {
        Optional<Subscription> subscription = subscriptions.find(delivery.subscriptionId());
        // An alert goes to an active subscription only; a confirmation only to one still waiting for it.
        Subscription.Status sendableTo = delivery.kind() == Delivery.Kind.CONFIRMATION
                ? Subscription.Status.PENDING_CONFIRMATION : Subscription.Status.ACTIVE;
        if (subscription.isEmpty() || subscription.get().status() != sendableTo) {
            deliveries.recordAttempt(delivery, new Delivery.Attempt(clock.instant(), null, 0,
                    "subscription is not " + sendableTo.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), null, null),
                    Delivery.Status.DEAD, Long.MAX_VALUE);
            metrics.outcome(delivery, "skipped");
            return;
        }
        Delivery.Attempt attempt = delivery.channel() == Subscription.Channel.EMAIL
                ? mailer.send(delivery, subscription.get())
                : webhooks.send(delivery, subscription.get().signingSecrets(clock.instant()));
        int attempts = delivery.attemptCount() + 1;
        String subscriptionId = delivery.subscriptionId();
        metrics.attempt(delivery, attempt);
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
        workers.forEach(PollingWorker::close);
    }
}
