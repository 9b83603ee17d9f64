package org.livingevidence.support.events;

/**
 * Handles one consumed event. Must be idempotent: delivery is at least once. Throwing makes the consumer retry
 * the same event after a pause (the offset is not committed past it).
 */
@FunctionalInterface
public interface EventHandler {
    void handle(IncomingEvent event);
}
