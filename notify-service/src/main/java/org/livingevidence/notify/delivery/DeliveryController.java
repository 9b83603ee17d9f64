package org.livingevidence.notify.delivery;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.livingevidence.notify.subscriptions.SubscriberAccess;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.security.Roles;

@Controller("/api/v1/subscriptions/{subscriptionId}/deliveries")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.SUBSCRIBER, Roles.ADMIN})
public class DeliveryController {

    private final SubscriberAccess access;
    private final DeliveryRepository deliveries;
    private final DeliveryWorker worker;
    private final Clock clock;

    DeliveryController(SubscriberAccess access, DeliveryRepository deliveries, DeliveryWorker worker, Clock clock) {
        this.access = access;
        this.deliveries = deliveries;
        this.worker = worker;
        this.clock = clock;
    }

    /** The delivery log: every alert owed to the subscription, with each attempt. */
    @Get
    List<Delivery> log(@PathVariable String subscriptionId, Authentication caller) {
        access.require(subscriptionId, caller);
        return deliveries.forSubscription(subscriptionId);
    }

    /** Sends one delivery again, with a fresh set of retries (its id, and so its webhook-id, stays the same). */
    @Post("/{deliveryId}/redeliver")
    HttpResponse<Delivery> redeliver(@PathVariable String subscriptionId, @PathVariable String deliveryId,
                                         Authentication caller) {
        access.require(subscriptionId, caller);
        Delivery delivery = deliveries.find(deliveryId).filter(d -> d.subscriptionId().equals(subscriptionId))
                .orElseThrow(() -> InputProblem.notFound("delivery", deliveryId));
        if (delivery.channel() == Subscription.Channel.FEED) {
            throw InputProblem.conflict("deliveryId", "a feed entry is not sent, so there is nothing to send again");
        }
        deliveries.requeue(delivery.id(), clock.millis());
        worker.wake();
        return HttpResponse.accepted().body(deliveries.find(delivery.id()).orElseThrow());
    }

    /**
     * Sends again every dead delivery of the subscription created in [from, to) (ISO-8601 instants; either may be
     * omitted). Returns the deliveries queued.
     */
    @Post("/redeliver-failed")
    HttpResponse<List<Delivery>> redeliverFailed(@PathVariable String subscriptionId, @Nullable @QueryValue String from,
                                                 @Nullable @QueryValue String to, Authentication caller) {
        access.require(subscriptionId, caller);
        Instant start = instant("from", from, Instant.MIN);
        Instant end = instant("to", to, Instant.MAX);
        List<Delivery> failed = deliveries.forSubscription(subscriptionId).stream()
                .filter(d -> d.status() == Delivery.Status.DEAD)
                .filter(d -> !d.createdAt().isBefore(start) && d.createdAt().isBefore(end)).toList();
        failed.forEach(d -> deliveries.requeue(d.id(), clock.millis()));
        worker.wake();
        return HttpResponse.accepted().body(failed.stream().map(d -> deliveries.find(d.id()).orElseThrow()).toList());
    }

    private static Instant instant(String field, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw InputProblem.invalid(field, "must be an ISO-8601 instant such as 2026-11-23T00:00:00Z, was " + value);
        }
    }
}
