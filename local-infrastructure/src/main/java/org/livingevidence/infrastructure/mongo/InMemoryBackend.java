package org.livingevidence.infrastructure.mongo;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;

/**
 * mongo-java-server's in-memory backend without its data-size bookkeeping, optionally counting commands.
 *
 * <p>The stock backend keeps each collection's data size (for {@code collStats} and {@code dbStats}) by encoding
 * every inserted document to BSON, and both versions of every updated one, just to measure them: about a tenth of
 * the server's CPU during an import, and about a tenth of the time a batch of inserts and updates takes (JMH
 * {@code EmbeddedMongoWritesBenchmark}, docs/performance.md). Nothing here reads those sizes, and real MongoDB keeps
 * them at no such cost, so this backend reports them as 0. Nothing else changes: the sizes were never checked against
 * the 16 MB limit (the wire decoder refuses a larger document in a command, in both backends).
 *
 * <p>And a query for a list of string ids ({@code {_id: {$in: [...]}}}), the relay's and the writers' usual read, takes
 * the documents the {@code _id} index found without matching each one against the list again: the stock matcher
 * compares every document with every listed id, so 500 ids cost 250,000 comparisons, a quarter of the server's CPU
 * during an import (docs/performance.md). For strings the index's equality is the matcher's, so the answer is the same.
 */
public final class InMemoryBackend extends MemoryBackend {

    private final CommandCensus census;

    /** The backend {@code ./local-stack} and the tests use for data in memory. */
    public InMemoryBackend() {
        this(null);
    }

    /** @param census counts every command, or {@code null} */
    InMemoryBackend(CommandCensus census) {
        this.census = census;
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new UnsizedDatabase(databaseName, getCursorRegistry());
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        if (census == null) {
            return super.handleMessage(message);
        }
        long started = System.nanoTime();
        try {
            return super.handleMessage(message);
        } finally {
            census.count(message.getDatabaseName(), message.getDocument(), System.nanoTime() - started);
        }
    }

    @Override
    public void close() {
        super.close();
        if (census != null) {
            census.close();
        }
    }

    private static final class UnsizedDatabase extends MemoryDatabase {

        UnsizedDatabase(String name, CursorRegistry cursorRegistry) {
            super(name, cursorRegistry);
        }

        @Override
        protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            // The inherited field: the super constructor already opens a collection, before a field of ours is set.
            return new UnsizedCollection(this, collectionName, options, cursorRegistry);
        }
    }

    private static final class UnsizedCollection extends MemoryCollection {

        UnsizedCollection(MemoryDatabase database, String name, CollectionOptions options, CursorRegistry cursorRegistry) {
            super(database, name, options, cursorRegistry);
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected QueryResult matchDocuments(Document query, Iterable<Integer> positions, Document orderBy, int numberToSkip,
                                             int limit, int batchSize, Document fieldSelector) {
            // Only ever called with the positions of an index that took the whole query, here the _id index.
            return super.matchDocuments(isStringIdsIn(query) ? new Document() : query, positions, orderBy, numberToSkip, limit,
                    batchSize, fieldSelector);
        }

        private boolean isStringIdsIn(Document query) {
            return query.size() == 1 && query.get(getIdField()) instanceof Document condition && condition.size() == 1
                    && condition.get("$in") instanceof java.util.Collection<?> ids && ids.stream().allMatch(String.class::isInstance);
        }
    }

}
