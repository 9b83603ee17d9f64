package org.livingevidence.notify.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.notify.delivery.Delivery;
import org.livingevidence.notify.delivery.DeliveryRepository;
import org.livingevidence.notify.delivery.DeliveryWorker;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;
import org.livingevidence.support.events.EventHandler;
import org.livingevidence.support.events.IncomingEvent;

/** Turns a conclusion shift into one pending delivery per interested subscription. */
@Singleton
public class ConclusionShiftHandler implements EventHandler {

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final DeliveryWorker worker;
    private final Clock clock;
    private final String analysisBaseUrl;

    ConclusionShiftHandler(SubscriptionRepository subscriptions, DeliveryRepository deliveries, DeliveryWorker worker,
                           Clock clock, @Value("${evidence.links.analysis-base-url}") String analysisBaseUrl) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.worker = worker;
        this.clock = clock;
        this.analysisBaseUrl = analysisBaseUrl;
    }

    @Override
    public void handle(IncomingEvent event) {
        if (event.type() != EventType.CONCLUSION_SHIFTED) {
            return;
        }
        ConclusionShifted shift = event.payload(ConclusionShifted.class);
        String body = body(shift);
        boolean stored = false;
        for (Subscription subscription : subscriptions.following(shift.questionId())) {
            if (!subscription.wants(shift.shiftTypes())) {
                continue;
            }
            Delivery delivery = new Delivery(Delivery.idFor(subscription.id(), shift.shiftId()), subscription.id(), shift.shiftId(),
                    shift.questionId(), subscription.webhookUrl(), body, Delivery.Status.PENDING, 0, clock.millis(),
                    List.of(), clock.instant());
            stored |= deliveries.insertIfAbsent(delivery);
        }
        if (stored) {
            worker.wake();
        }
    }

    private String body(ConclusionShifted shift) {
        Alert alert = new Alert(Alert.TYPE, shift.occurredAt(), new Alert.Data(shift.questionId(), shift.shiftId(),
                shift.estimateVersion(), shift.shiftTypes(), shift.summary(), shift.previous(), shift.current(),
                shift.trigger(), new Alert.Links(analysisBaseUrl + "/api/v1/questions/" + shift.questionId() + "/estimate")));
        try {
            return EventJson.mapper().writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
