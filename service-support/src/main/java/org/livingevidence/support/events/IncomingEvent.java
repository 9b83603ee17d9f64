package org.livingevidence.support.events;

import java.time.OffsetDateTime;
import org.livingevidence.contracts.EventType;

/**
 * A consumed event: its envelope attributes and its parsed, schema-valid payload.
 *
 * @param bulk whether its producer's outbox relay marked it as part of an import ({@code ce_lane: bulk}): what follows
 *             from it need not go out ahead of anything. False for a person's event and for an event without a lane.
 */
public record IncomingEvent(String id, EventType type, String subject, OffsetDateTime time, Record payload,
                            String topic, int partition, long offset, boolean bulk) {

    /** An event without a lane (not published by an outbox relay). */
    public IncomingEvent(String id, EventType type, String subject, OffsetDateTime time, Record payload, String topic,
                         int partition, long offset) {
        this(id, type, subject, time, payload, topic, partition, offset, false);
    }

    public <T extends Record> T payload(Class<T> type) {
        return type.cast(payload);
    }
}
