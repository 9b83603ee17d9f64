package org.livingevidence.study.revisions;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events whose revision this instance has written to the history itself, so that the relay's repair
 * ({@link RevisionedCollection}) need not read those events back and look their revisions up once they are published.
 * What is not here (written before a restart, on another instance, or by a write that failed after staging) is
 * repaired as before. At most {@value #LIMIT} events, the oldest forgotten first: a forgotten one is only repaired again.
 */
final class WrittenToHistory {

    static final int LIMIT = 100_000;

    private final Map<String, Boolean> eventIds = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > LIMIT;
        }
    };

    /** Notes events whose revisions are now in the history (after the insert returned). */
    synchronized void written(Collection<String> published) {
        published.forEach(id -> eventIds.put(id, Boolean.TRUE));
    }

    /** Whether this event's revision was noted as written; forgets it (an event is published once, or repaired again). */
    synchronized boolean take(String eventId) {
        return eventIds.remove(eventId) != null;
    }

    synchronized int size() {
        return eventIds.size();
    }
}
