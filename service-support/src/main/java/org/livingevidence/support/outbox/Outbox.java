package org.livingevidence.support.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;

/**
 * The one outbox. A service writes its state change and the events it owes in the same single-document update
 * ({@link #append}), so both happen or neither does, with no transaction: mongo-java-server has none, and a
 * single-document write is atomic in every MongoDB. {@link OutboxRelay} publishes the events and removes them.
 */
@Singleton
public class Outbox {

    /** The array field holding pending events in any document that owes events. */
    public static final String FIELD = "outbox";

    private final String source;
    private final Clock clock;
    private final List<MongoCollection<Document>> collections = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public Outbox(@Value("${micronaut.application.name}") String serviceName, Clock clock) {
        this.source = "/" + serviceName;
        this.clock = clock;
    }

    /** Builds an event for {@code payload}, validated against its contract, keyed by the question id. */
    public OutboxEvent event(Record payload, String questionId) {
        EventType type = EventType.of(payload.getClass());
        return new OutboxEvent(UUID.randomUUID().toString(), type.ceType(), source, type.topic(), questionId,
                clock.instant(), EventSchemas.toValidatedJson(payload));
    }

    /** The update clause that adds {@code events} to a document's outbox, in order. */
    public Bson append(List<OutboxEvent> events) {
        return Updates.pushEach(FIELD, events.stream().map(OutboxEvent::toBson).toList());
    }

    /** The BSON array to store in a new document's outbox. */
    public List<Document> initial(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::toBson).toList();
    }

    /** Makes the relay scan {@code collection} for pending events. */
    public void register(MongoCollection<Document> collection) {
        collections.add(collection);
    }

    /** Tells the relay that events were just written, so it need not wait for its next poll. */
    public void written() {
        listeners.forEach(Runnable::run);
    }

    List<MongoCollection<Document>> collections() {
        return collections;
    }

    void onWritten(Runnable listener) {
        listeners.add(listener);
    }
}
