package org.livingevidence.notify.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Delivery outcomes for operators: {@code evidence_delivery_attempts_total{channel,outcome}} (outcome: delivered,
 * failed, gone, skipped) and {@code evidence_delivery_attempt_seconds{channel}}.
 */
@Singleton
class DeliveryMetrics {

    private final MeterRegistry registry;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempt(Delivery delivery, Delivery.Attempt attempt) {
        String outcome = attempt.succeeded() ? "delivered" : attempt.gone() ? "gone" : "failed";
        outcome(delivery, outcome);
        Timer.builder("evidence.delivery.attempt").description("time of one delivery attempt")
                .tag("channel", delivery.channel().name()).register(registry).record(Duration.ofMillis(attempt.latencyMs()));
    }

    void outcome(Delivery delivery, String outcome) {
        Counter.builder("evidence.delivery.attempts").description("delivery attempts by outcome")
                .tags("channel", delivery.channel().name(), "outcome", outcome).register(registry).increment();
    }
}
