package org.livingevidence.notify;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import org.livingevidence.contracts.Topics;
import org.livingevidence.notify.alerts.NotifyEventHandler;
import org.livingevidence.notify.delivery.DeliveryWorker;
import org.livingevidence.support.events.EventConsumer;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;

/** Starts the delivery worker and the consumer of questions, estimates and conclusion shifts. */
@Singleton
class NotifyStartup {

    private final NotifyEventHandler handler;
    private final DeliveryWorker worker;
    private final KafkaSettings kafka;
    private final TopicProvisioner topics;
    private final String group;
    private EventConsumer consumer;

    NotifyStartup(NotifyEventHandler handler, DeliveryWorker worker, KafkaSettings kafka, TopicProvisioner topics,
                  @Value("${kafka.consumer-group:notify-service}") String group) {
        this.handler = handler;
        this.worker = worker;
        this.kafka = kafka;
        this.topics = topics;
        this.group = group;
    }

    @EventListener
    synchronized void onStartup(StartupEvent event) {
        worker.start();
        consumer = new EventConsumer(kafka, topics, group, List.of(Topics.QUESTIONS, Topics.POOLED_ESTIMATES, Topics.CONCLUSION_SHIFTS), handler);
        consumer.start();
    }

    @PreDestroy
    synchronized void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
