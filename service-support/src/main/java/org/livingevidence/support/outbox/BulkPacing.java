package org.livingevidence.support.outbox;

/**
 * How many documents of the {@link Outbox.Lane#BULK bulk lane} the relay may publish now. A bulk import can be
 * accepted faster than the services downstream handle its events; whatever is published beyond that waits in their
 * topics' partitions, where a curator's single record then queues behind it. Pacing keeps that backlog in the outbox,
 * where interactive entries overtake it.
 */
public interface BulkPacing extends AutoCloseable {

    /** No pacing: bulk documents go out as fast as the relay reads them. */
    BulkPacing UNPACED = () -> Integer.MAX_VALUE;

    /** Bulk documents the relay may publish in this pass (0: none now; the relay looks again at its next pass). */
    int allowance();

    /**
     * A person's write was just staged on this instance: the next ones of that person should not queue behind an
     * import in the topics. A pacing may hold the bulk lane tighter for a while.
     */
    default void personWrote() {
    }

    @Override
    default void close() {
    }
}
