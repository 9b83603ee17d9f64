package org.livingevidence.notify.subscriptions;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.events.ConclusionShifted.ShiftType;

/**
 * A subscriber's interest in some questions' conclusion shifts, delivered to a webhook.
 *
 * @param secret                    the webhook signing secret ({@code whsec_...}); shown only at creation
 * @param consecutiveDeadDeliveries deliveries in a row that exhausted their retries (reset by a success)
 * @param disabledReason            why the subscription was disabled, or null
 */
public record Subscription(String id, List<String> questionIds, List<ShiftType> shiftTypes, String webhookUrl,
                           String secret, Status status, Instant createdAt, Integer consecutiveDeadDeliveries,
                           String disabledReason) {

    public enum Status { ACTIVE, DISABLED }

    public boolean wants(List<ShiftType> types) {
        return types.stream().anyMatch(shiftTypes::contains);
    }

    /** The subscription as shown after creation: without its secret. */
    public Subscription withoutSecret() {
        return new Subscription(id, questionIds, shiftTypes, webhookUrl, null, status, createdAt,
                consecutiveDeadDeliveries, disabledReason);
    }
}
