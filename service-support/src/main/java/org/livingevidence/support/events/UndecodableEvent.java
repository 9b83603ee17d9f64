package org.livingevidence.support.events;

/**
 * A record that can never be handled as it is: not a CloudEvent, of a type no contract names, on the wrong topic, or
 * with a payload that breaks its schema. Retrying it cannot help, so the consumer dead-letters it at once.
 */
public final class UndecodableEvent extends Exception {

    /** Why the record was refused, as the dead-letter contract names it. */
    public enum Reason { NOT_A_CLOUD_EVENT, UNKNOWN_TYPE, WRONG_TOPIC, SCHEMA_VIOLATION }

    private final Reason reason;

    public UndecodableEvent(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
