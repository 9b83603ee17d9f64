package org.livingevidence.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import org.bson.Document;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.support.outbox.Outbox;

/**
 * The service stores what it publishes: a question or record document is its latest event payload, plus its
 * {@code _id} and pending outbox events. One mapping, so the stored and the published forms cannot drift apart.
 */
public final class StoredPayloads {

    private StoredPayloads() {
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
        try {
            return EventJson.mapper().readValue(copy.toJson(), type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
