package org.livingevidence.notify.delivery;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/** Retry schedule and timeouts of webhook delivery ({@code evidence.delivery.*}). */
@Singleton
public class DeliverySettings {

    private final Duration pollInterval;
    private final List<Duration> retryDelays;
    private final Duration requestTimeout;
    private final Duration maxRetryAfter;
    private final int disableAfterDeadDeliveries;
    private final Duration attemptDeadline;
    private final int workers;
    private final int perEndpoint;

    public DeliverySettings(@Value("${evidence.delivery.poll-interval:500ms}") Duration pollInterval,
                            @Value("${evidence.delivery.retry-delays:5s,1m,5m,30m,2h,8h,24h,36h}") List<Duration> retryDelays,
                            @Value("${evidence.delivery.request-timeout:10s}") Duration requestTimeout,
                            @Value("${evidence.delivery.max-retry-after:24h}") Duration maxRetryAfter,
                            @Value("${evidence.delivery.disable-after-dead-deliveries:3}") int disableAfterDeadDeliveries,
                            @Value("${evidence.delivery.attempt-deadline:30s}") Duration attemptDeadline,
                            @Value("${evidence.delivery.workers:8}") int workers,
                            @Value("${evidence.delivery.per-endpoint:2}") int perEndpoint) {
        this.pollInterval = pollInterval;
        if (retryDelays.isEmpty()) {
            throw new IllegalArgumentException("evidence.delivery.retry-delays needs at least one delay");
        }
        this.retryDelays = List.copyOf(retryDelays);
        this.requestTimeout = requestTimeout;
        this.maxRetryAfter = maxRetryAfter;
        this.disableAfterDeadDeliveries = disableAfterDeadDeliveries;
        this.attemptDeadline = attemptDeadline;
        this.workers = Math.max(1, workers);
        this.perEndpoint = Math.max(1, perEndpoint);
    }

    /** An attempt is abandoned (and counted as failed) when it has not finished by then, however slowly it progresses. */
    Duration attemptDeadline() {
        return attemptDeadline;
    }

    /** Threads sending at once. */
    int workers() {
        return workers;
    }

    /** Sends to one endpoint (host and port) at once, across all workers. */
    int perEndpoint() {
        return perEndpoint;
    }

    /** A receiver's Retry-After is honoured when longer than the schedule's wait, up to this. */
    Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Dead deliveries in a row after which the subscription is disabled. */
    int disableAfterDeadDeliveries() {
        return disableAfterDeadDeliveries;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    /** Attempts in all: the first, then one after each delay. */
    int maxAttempts() {
        return retryDelays.size() + 1;
    }

    /** The wait after the given failed attempt (1-based), with +-20% jitter so retries of many deliveries spread out. */
    Duration delayAfter(int failedAttempt, double random) {
        Duration base = retryDelays.get(Math.min(failedAttempt, retryDelays.size()) - 1);
        return Duration.ofMillis(Math.round(base.toMillis() * (0.8 + 0.4 * random)));
    }

    Duration requestTimeout() {
        return requestTimeout;
    }
}
