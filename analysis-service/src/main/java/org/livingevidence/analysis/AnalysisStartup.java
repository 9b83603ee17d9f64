package org.livingevidence.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.livingevidence.analysis.projections.Rebuild;
import org.livingevidence.analysis.projections.AnalysisEventHandler;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.EventConsumer;
import org.livingevidence.support.events.EventConsumers;
import org.livingevidence.support.events.InteractiveLane;
import org.livingevidence.support.events.KafkaSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

/**
 * Starts the consumer of questions and outcome records (the outbox relay starts by itself), once it is known whether
 * this start is a {@link Rebuild} (an empty database, or a rebuild that had not ended): then batches fold quietly from
 * the first one on, while the estimate history is read beside them. Beside it, unless
 * {@code evidence.analysis.interactive-lane.enabled} is false, an {@link InteractiveLane} handles a person's events
 * ahead of an import's backlog, once the rebuild question is decided and while no rebuild folds.
 */
@Singleton
class AnalysisStartup implements AutoCloseable {

    private final AnalysisEventHandler handler;
    private final EventConsumers consumers;
    private final Rebuild rebuild;
    private final KafkaSettings kafka;
    private final MeterRegistry registry;
    private final String group;
    private final boolean interactiveLane;
    private volatile InteractiveLane interactive;

    AnalysisStartup(AnalysisEventHandler handler, EventConsumers consumers, Rebuild rebuild, KafkaSettings kafka,
                    MeterRegistry registry, @Value("${kafka.consumer-group:analysis-service}") String group,
                    @Value("${evidence.analysis.interactive-lane.enabled:true}") boolean interactiveLane) {
        this.handler = handler;
        this.consumers = consumers;
        this.rebuild = rebuild;
        this.kafka = kafka;
        this.registry = registry;
        this.group = group;
        this.interactiveLane = interactiveLane;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        // Asked on the consumer's thread, so a MongoDB outage at start is retried there like any other failure.
        EventConsumer consumer = consumers.start(group, List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS), handler, () -> {
            if (rebuild.closed()) {
                return Optional.of("the service to stop");
            }
            rebuild.begin();
            return Optional.empty();
        });
        if (interactiveLane) {
            // A rebuild's decision comes first: an estimate published before it would make an empty database look rebuilt.
            InteractiveLane lane = new InteractiveLane(kafka, consumer, () -> rebuild.decided() && rebuild.underWay().isEmpty());
            FunctionCounter.builder("evidence.analysis.interactive.events", lane, InteractiveLane::handled)
                    .description("a person's events handled ahead of the consumer group's backlog").register(registry);
            FunctionCounter.builder("evidence.analysis.interactive.skipped", lane, InteractiveLane::skipped)
                    .description("a person's events the interactive lane read ahead of the group and left to it (a rebuild under way, a failure)")
                    .register(registry);
            interactive = lane;
            lane.start();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        InteractiveLane lane = interactive;
        if (lane != null) {
            lane.close();
        }
    }
}
