package org.livingevidence.study.revisions;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events whose revision this instance has written to the history itself, so that the relay's repair
 * ({@link RevisionedCollection}) need not read those events back and look their revisions up once they are published.
 * What is not here (written before a restart, on another instance, or by a write whose copy failed, a write-concern
 * error included) is repaired as before. At most {@value #LIMIT} events per collection, the oldest forgotten first (a
 * forgotten one is only repaired again): some are never taken (events of shards another instance's relay publishes,
 * parked events, events a relay published before their writer noted them), so the notes fill up to the limit, about
 * 2.5 MB.
 */
final class WrittenToHistory {

    static final int LIMIT = 20_000;

    private final Map<String, Boolean> eventIds = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > LIMIT;
        }
    };

    /** Notes events whose revisions are now in the history (after the insert returned). */
    synchronized void written(Collection<String> writtenEventIds) {
        writtenEventIds.forEach(id -> eventIds.put(id, Boolean.TRUE));
    }

    /** Whether this event's revision was noted as written; forgets it (an event is published once, or repaired again). */
    synchronized boolean take(String eventId) {
        return eventIds.remove(eventId) != null;
    }

    synchronized int size() {
        return eventIds.size();
    }
}
