package org.livingevidence.infrastructure.mongo;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
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
    }
}
