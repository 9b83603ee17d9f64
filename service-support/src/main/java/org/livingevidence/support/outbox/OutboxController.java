package org.livingevidence.support.outbox;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.livingevidence.support.security.Roles;

/** Operators' view of the outbox: events Kafka refused for good, with their error. */
@Controller("/api/v1/admin/outbox")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutboxController {

    /** A parked event: where it was owed, the event, and why Kafka refused it. */
    public record ParkedEvent(String eventId, String collection, String documentId, String topic, String key, String ceType,
                              int bytes, String error, Instant parkedAt) {
    }

    private final MongoDatabase database;

    OutboxController(MongoDatabase database) {
        this.database = database;
    }

    /** Newest first, at most 500. */
    @Get("/parked")
    List<ParkedEvent> parked() {
        List<ParkedEvent> parked = new ArrayList<>();
        for (Document d : database.getCollection(OutboxRelay.PARKED).find().sort(Sorts.descending("parkedAtMillis")).limit(500)) {
            OutboxEvent event = OutboxEvent.fromBson(d.get("event", Document.class));
            parked.add(new ParkedEvent(event.eventId(), d.getString("collection"), String.valueOf(d.get("docId")), event.topic(),
                    event.key(), event.ceType(), event.data().length(), d.getString("error"),
                    Instant.ofEpochMilli(d.get("parkedAtMillis", Number.class).longValue())));
        }
        return parked;
    }
}
