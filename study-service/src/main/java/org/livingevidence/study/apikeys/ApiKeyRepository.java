package org.livingevidence.study.apikeys;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.events.ApiKeyRevised;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.mongo.ExactFilter;

/**
 * The keys study-service issued: one document per key (its latest revision, its last use, and the events still to
 * publish). Names are unique through a unique index, so two administrators cannot issue the same name at once.
 */
@Singleton
class ApiKeyRepository {

    static final String COLLECTION = "api_keys";
    private static final String LAST_USED = "lastUsedAt";

    /** A stored key and when any service last authenticated it. */
    record StoredKey(ApiKeyRevised key, Instant lastUsedAt) {
    }

    /** The name is taken by another key. */
    static final class NameTaken extends RuntimeException {
        NameTaken(String name) {
            super(name);
        }
    }

    private final MongoCollection<Document> keys;
    private final Outbox outbox;

    ApiKeyRepository(MongoDatabase database, Outbox outbox, MongoIndexes indexes) {
        this.keys = database.getCollection(COLLECTION);
        this.outbox = outbox;
        indexes.ensure(keys, List.of(new com.mongodb.client.model.IndexModel(Indexes.ascending("name"),
                new IndexOptions().unique(true).name("name_unique"))));
    }

    void insert(ApiKeyRevised key) {
        Document document = PayloadDocuments.toDocument(key.keyId(), key);
        Outbox.Staging staging = outbox.stage(keys, key.keyId(), key.keyId());
        outbox.putInitial(document, staging, List.of(outbox.event(key, key.keyId())));
        try {
            keys.insertOne(document);
        } catch (MongoWriteException e) {
            if (CreateOnce.isDuplicateKey(e)) {
                outbox.abandon(staging);
                throw new NameTaken(key.name());
            }
            throw e;
        }
        outbox.written();
    }

    /** Stores {@code next} if the key is still at {@code next.revision() - 1}; false when another change came first. */
    boolean revise(ApiKeyRevised next) {
        Document fields = PayloadDocuments.toDocument(next.keyId(), next);
        fields.remove("_id");
        List<org.bson.conversions.Bson> updates = new ArrayList<>();
        fields.forEach((name, value) -> updates.add(Updates.set(name, value)));
        Outbox.Staging staging = outbox.stage(keys, next.keyId(), next.keyId());
        updates.add(outbox.append(staging, List.of(outbox.event(next, next.keyId()))));
        boolean stored = keys.updateOne(ExactFilter.idAnd(next.keyId(), "revision", next.revision() - 1),
                Updates.combine(updates)).getModifiedCount() == 1;
        if (stored) {
            outbox.written();
        } else {
            outbox.abandon(staging);
        }
        return stored;
    }

    Optional<StoredKey> find(String keyId) {
        return Optional.ofNullable(keys.find(Filters.eq("_id", keyId)).first()).map(ApiKeyRepository::stored);
    }

    List<StoredKey> all() {
        return keys.find().sort(Sorts.descending("issuedAt", "_id")).map(ApiKeyRepository::stored).into(new ArrayList<>());
    }

    /** Moves the key's last use forward to {@code at} (never back: reports arrive from many instances in any order). */
    void recordUse(String keyId, Instant at) {
        keys.updateOne(Filters.eq("_id", keyId), Updates.max(LAST_USED, at.toEpochMilli()));
    }

    private static StoredKey stored(Document d) {
        Number lastUsed = d.get(LAST_USED, Number.class);
        Document payload = new Document(d);
        payload.remove(LAST_USED);
        return new StoredKey(PayloadDocuments.fromDocument(payload, ApiKeyRevised.class),
                lastUsed == null ? null : Instant.ofEpochMilli(lastUsed.longValue()));
    }
}
