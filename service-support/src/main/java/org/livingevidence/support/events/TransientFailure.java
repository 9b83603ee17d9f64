package org.livingevidence.support.events;

/**
 * A failure that says nothing about the event: another writer won a race, a dependency is briefly away. The
 * consumer retries it for as long as it lasts and never dead-letters an event for it.
 */
public class TransientFailure extends RuntimeException {

    /**
     * The work must wait for other work of this service to catch up (events to be published, say): retried after a
     * short fixed pause, not the growing pause of an outage.
     */
    public static class Backpressure extends TransientFailure {
        public Backpressure(String message) {
            super(message);
        }
    }

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
