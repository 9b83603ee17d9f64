package org.livingevidence.support.outbox;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** The events Kafka refused for good ({@value OutboxRelay#PARKED}), as operators list them. */
@Singleton
public class ParkedEvents {

    /** A parked event: where it was owed, the event, and why Kafka refused it. */
    public record ParkedEvent(String eventId, String collection, String documentId, String topic, String key, String ceType,
                              int bytes, String error, Instant parkedAt) {
    }

    private final MongoDatabase database;

    ParkedEvents(MongoDatabase database) {
        this.database = database;
    }

    /** Newest first. */
    public List<ParkedEvent> latest(int limit) {
        List<ParkedEvent> parked = new ArrayList<>();
        for (Document d : database.getCollection(OutboxRelay.PARKED).find().sort(Sorts.descending("parkedAtMillis")).limit(limit)) {
            OutboxEvent event = OutboxEvent.fromBson(d.get("event", Document.class));
            parked.add(new ParkedEvent(event.eventId(), d.getString("collection"), String.valueOf(d.get("docId")), event.topic(),
                    event.key(), event.ceType(), event.data().length(), d.getString("error"),
                    Instant.ofEpochMilli(d.get("parkedAtMillis", Number.class).longValue())));
        }
        return parked;
    }
}
