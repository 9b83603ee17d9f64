package org.livingevidence.support.events;

import java.util.List;

/**
 * Handles consumed events. Must be idempotent: delivery is at least once. A handler that throws has its event
 * retried with a growing pause; a {@link TransientFailure} (or an outage of MongoDB or Kafka) is retried for as long
 * as it lasts, anything else a bounded number of times before the event is dead-lettered.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(IncomingEvent event);

    /**
     * A batch of events: one poll's from several partitions, or a run from one partition; each partition's events in
     * their order (so each key's), partitions one after another. Override to do the work once per batch (one write
     * per question rather than per event); when it throws, the consumer hands the events again partition by
     * partition, then one by one, to find the one that fails, so the others are not held back by it.
     */
    default void handleAll(List<IncomingEvent> events) {
        events.forEach(this::handle);
    }
}
