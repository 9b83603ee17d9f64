package org.livingevidence.support.events;

/**
 * A failure that says nothing about the event: another writer won a race, a dependency is briefly away. The
 * consumer retries it for as long as it lasts and never dead-letters an event for it.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
