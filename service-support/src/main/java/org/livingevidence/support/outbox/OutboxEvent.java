package org.livingevidence.support.outbox;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * An event waiting in a document's {@code outbox} array until the relay has published it.
 *
 * @param source CloudEvents source: the producing service, e.g. {@code /study-service}
 * @param key    record key and CloudEvents subject: the evidence question id
 * @param data   the schema-valid JSON payload
 */
public record OutboxEvent(String eventId, String ceType, String source, String topic, String key, Instant time,
                          String data) {

    Document toBson() {
        return new Document("eventId", eventId).append("ceType", ceType).append("source", source)
                .append("topic", topic).append("key", key).append("time", Date.from(time)).append("data", data);
    }

    static OutboxEvent fromBson(Document d) {
        return new OutboxEvent(d.getString("eventId"), d.getString("ceType"), d.getString("source"),
                d.getString("topic"), d.getString("key"), d.getDate("time").toInstant(), d.getString("data"));
    }
}
