package org.livingevidence.notify.delivery;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.List;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;
import org.livingevidence.support.problems.InputProblem;

@Controller("/api/v1/subscriptions/{subscriptionId}/deliveries")
public class DeliveryController {

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;

    DeliveryController(SubscriptionRepository subscriptions, DeliveryRepository deliveries) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
    }

    /** The delivery log: every alert owed to the subscription, with each attempt. */
    @Get
    List<Delivery> log(@PathVariable String subscriptionId) {
        subscriptions.find(subscriptionId).orElseThrow(() -> InputProblem.notFound("subscription", subscriptionId));
        return deliveries.forSubscription(subscriptionId);
    }
}
