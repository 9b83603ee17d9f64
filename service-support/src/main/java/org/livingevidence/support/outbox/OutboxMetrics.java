package org.livingevidence.support.outbox;

import com.mongodb.client.model.Sorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.bson.Document;

/**
 * What an operator watches of the outbox: how many documents owe events ({@code evidence_outbox_backlog}), how
 * long the oldest has waited ({@code evidence_outbox_oldest_age_seconds}), events published and parked.
 */
public final class OutboxMetrics {

    private final Counter published;
    private final Counter parked;

    public OutboxMetrics(MeterRegistry registry, Outbox outbox, Clock clock) {
        this.published = Counter.builder("evidence.outbox.published").description("events the relay published").register(registry);
        this.parked = Counter.builder("evidence.outbox.parked").description("events Kafka can never take, parked with their error")
                .register(registry);
        Gauge.builder("evidence.outbox.backlog", outbox, o -> o.pending().countDocuments())
                .description("documents with events not yet published").register(registry);
        Gauge.builder("evidence.outbox.oldest.age.seconds", outbox, o -> {
            Document oldest = o.pending().find().sort(Sorts.ascending("since")).limit(1).first();
            return oldest == null ? 0 : (clock.millis() - oldest.get("since", Number.class).longValue()) / 1000.0;
        }).description("how long the oldest unpublished event has waited").register(registry);
    }

    void published(int count) {
        published.increment(count);
    }

    void parked(int count) {
        parked.increment(count);
    }
}
