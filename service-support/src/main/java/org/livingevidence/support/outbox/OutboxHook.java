package org.livingevidence.support.outbox;

import java.util.List;

/**
 * Work the relay does for a collection's events just after Kafka acknowledged them and before it removes them from
 * their document: a repair that must happen once an event is out (study-service makes sure each published revision
 * is in its history). If it fails, the events stay and are published again: the hook must be idempotent. It may be
 * called from two threads at once (a relay's pass and an express run beside it), with events of different documents.
 */
@FunctionalInterface
public interface OutboxHook {

    void published(List<OutboxEvent> events);
}
