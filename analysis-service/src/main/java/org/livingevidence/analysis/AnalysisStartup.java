package org.livingevidence.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import org.livingevidence.analysis.projections.AnalysisEventHandler;
import org.livingevidence.analysis.projections.ProjectionRepository;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.EventConsumer;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxRelay;

/** Starts the outbox relay and the consumer of questions and outcome records. */
@Singleton
class AnalysisStartup {

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final ProjectionRepository projections;
    private final AnalysisEventHandler handler;
    private final KafkaSettings kafka;
    private final TopicProvisioner topics;
    private final String group;
    private EventConsumer consumer;

    AnalysisStartup(Outbox outbox, OutboxRelay relay, ProjectionRepository projections, AnalysisEventHandler handler,
                    KafkaSettings kafka, TopicProvisioner topics, @Value("${kafka.consumer-group:analysis-service}") String group) {
        this.outbox = outbox;
        this.relay = relay;
        this.projections = projections;
        this.handler = handler;
        this.kafka = kafka;
        this.topics = topics;
        this.group = group;
    }

    @EventListener
    synchronized void onStartup(StartupEvent event) {
        outbox.register(projections.collection());
        relay.start();
        consumer = new EventConsumer(kafka, topics, group, List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS), handler);
        consumer.start();
    }

    @PreDestroy
    synchronized void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
