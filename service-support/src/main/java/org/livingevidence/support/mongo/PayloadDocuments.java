package org.livingevidence.support.mongo;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import org.bson.Document;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.support.outbox.Outbox;

/**
 * Maps records (event payloads, projection state) to MongoDB documents and back through the one event JSON mapping,
 * so a stored document and the event published from it cannot drift apart. The {@code _id} and the pending
 * {@code outbox} are document fields, not part of the record.
 */
public final class PayloadDocuments {

    private PayloadDocuments() {
    }

    public static Document toDocument(String id, Record payload) {
        try {
            Document document = Document.parse(EventJson.mapper().writeValueAsString(payload));
            document.put("_id", id);
            return document;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T extends Record> T fromDocument(Document document, Class<T> type) {
        Document copy = new Document(document);
        copy.remove("_id");
        copy.remove(Outbox.FIELD);
        copy.remove(Outbox.STAGED);
        try {
            return EventJson.mapper().readValue(copy.toJson(), type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
