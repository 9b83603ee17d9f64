package org.livingevidence.support.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import java.util.List;
import org.bson.Document;

/**
 * Idempotent writes: events arrive at least once, so a service creates what an event implies under a deterministic
 * id and treats "it already exists" as done. The one place that recognises MongoDB's duplicate-key refusal.
 */
public final class CreateOnce {

    private CreateOnce() {
    }

    /** Inserts {@code document}; false when a document with the same {@code _id} (or unique key) is already there. */
    public static boolean insert(MongoCollection<Document> collection, Document document) {
        try {
            collection.insertOne(document);
            return true;
        } catch (MongoWriteException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Inserts every document that is not there yet, in one round trip. */
    public static void insertAll(MongoCollection<Document> collection, List<Document> documents) {
        if (documents.isEmpty()) {
            return;
        }
        try {
            collection.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            duplicatesIn(e);
        }
    }

    /**
     * What an unordered {@code insertMany} refused as duplicates (by {@link BulkWriteError#getIndex()}); anything else
     * is rethrown. A write-concern error is rethrown as a {@link MongoWriteConcernException} (an outage to wait out, as
     * {@code insertOne} reports it): the inserts are not known to be durable, so the batch is never taken as done.
     */
    public static List<BulkWriteError> duplicatesIn(MongoBulkWriteException e) {
        if (e.getWriteConcernError() != null) {
            MongoWriteConcernException concern = new MongoWriteConcernException(e.getWriteConcernError(), null, e.getServerAddress(),
                    e.getErrorLabels());
            concern.addSuppressed(e);
            throw concern;
        }
        for (BulkWriteError error : e.getWriteErrors()) {
            if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return e.getWriteErrors();
    }

    /**
     * Runs a conditional upsert that only replaces an older version ({@code filter: {_id, version < mine}}): when a
     * newer version is stored, the filter misses, the upsert tries to insert and meets the unique {@code _id}. That
     * is the newer-wins outcome, not an error; returns false then.
     */
    public static boolean upsertUnlessNewer(Runnable conditionalUpsert) {
        try {
            conditionalUpsert.run();
            return true;
        } catch (MongoWriteException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    public static boolean isDuplicateKey(MongoWriteException e) {
        return e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
