package org.livingevidence.notify.subscriptions;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.security.Caller;

/**
 * Subscribers see and manage only their own subscriptions, matched on their stable principal id (never a display
 * name); administrators see all. Someone else's subscription is answered as not found, so its existence does not
 * leak.
 */
@Singleton
public class SubscriberAccess {

    private final SubscriptionRepository subscriptions;

    SubscriberAccess(SubscriptionRepository subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** The subscription, if the caller may manage it; 404 otherwise. */
    public Subscription require(String subscriptionId, Authentication caller) {
        return subscriptions.find(subscriptionId)
                .filter(s -> Caller.isAdmin(caller) || Caller.of(caller).principalId().equals(s.owner()))
                .orElseThrow(() -> InputProblem.notFound("subscription", subscriptionId));
    }
}
