package org.livingevidence.notify;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.livingevidence.contracts.Topics;
import org.livingevidence.notify.alerts.NotifyEventHandler;
import org.livingevidence.notify.delivery.DeliveryWorker;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;
import org.livingevidence.support.events.EventConsumers;

/** Starts the delivery worker and the consumer of questions, estimates and conclusion shifts. */
@Singleton
class NotifyStartup {

    private final NotifyEventHandler handler;
    private final DeliveryWorker worker;
    private final SubscriptionRepository subscriptions;
    private final EventConsumers consumers;
    private final String group;

    NotifyStartup(NotifyEventHandler handler, DeliveryWorker worker, SubscriptionRepository subscriptions, EventConsumers consumers,
                  @Value("${kafka.consumer-group:notify-service}") String group) {
        this.handler = handler;
        this.worker = worker;
        this.subscriptions = subscriptions;
        this.consumers = consumers;
        this.group = group;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        // Also fails the start at once, with a message, when no secrets key is configured.
        subscriptions.reencryptStaleSecrets();
        worker.start();
        consumers.start(group, List.of(Topics.QUESTIONS, Topics.POOLED_ESTIMATES, Topics.CONCLUSION_SHIFTS), handler);
    }
}
