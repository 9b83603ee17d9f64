package org.livingevidence.infrastructure.mongo;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * mongo-java-server's in-memory backend keeping small documents as BSON bytes, without its data-size bookkeeping,
 * optionally counting commands.
 *
 * <p>Documents of up to 16 KB are kept as their encoded bytes, not as trees of objects; scans decode the fields a
 * query names before a whole document (the collection class below says why and how).
 *
 * <p>The stock backend keeps each collection's data size (for {@code collStats} and {@code dbStats}) by encoding
 * every inserted document to BSON, and both versions of every updated one, just to measure them: about a tenth of
 * the server's CPU during an import, and about a tenth of the time a batch of inserts and updates takes (JMH
 * {@code EmbeddedMongoWritesBenchmark}, docs/performance.md). Nothing here reads those sizes, and real MongoDB keeps
 * them at no such cost, so this backend reports them as 0. Nothing else changes: the sizes were never checked against
 * the 16 MB limit (the wire decoder refuses a larger document in a command, in both backends).
 *
 * <p>A query for a list of string ids ({@code {_id: {$in: [...]}}}), the relay's and the writers' usual read, takes
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

    /** How many documents of a collection are kept as bytes (the others are trees), for tests. */
    long documentsKeptAsBytes(String database, String collection) {
        return ((UnsizedCollection) resolveDatabase(database).resolveCollection(collection, true)).keptAsBytes();
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

    /**
     * A collection that keeps each small document as its BSON bytes, as MongoDB's storage engine does, rather than as
     * the stock backend's tree of maps, strings and boxed numbers. In memory the heap is the database: a tree of about
     * a hundred objects a record, millions after a few imports, which the collector copies when a document is new and
     * walks in every marking (the collector took more than half of the server's CPU during an import,
     * docs/performance.md). An array of bytes holds no references: it is copied in one piece and never scanned. The
     * cost is an encoding per write and a decoding per document read, with the server's own wire codec, so a document
     * reads back with the types it was written with.
     *
     * <p>A large document (over {@link #AS_BYTES_UP_TO}: a question's projection or estimate at a large k) stays a tree,
     * as in the stock backend: there are few of them, and each is read and updated whole, so decoding and encoding it
     * on every update cost more than its share of the collector (a 5,000-record import into one question ran 15-30%
     * slower with every document as bytes).
     *
     * <p>Reads of a document kept as bytes hand out fresh copies; a tree is handed out itself, as the stock backend
     * does. The base class updates what it read in place and then calls {@link #handleUpdate}, which stores it again.
     * So a cursor's later batches hold the documents as they were when it was opened, and a date kept as bytes has
     * BSON's milliseconds (as in real MongoDB) where the stock backend kept {@code $currentDate}'s microseconds.
     */
    private static final class UnsizedCollection extends MemoryCollection {

        /** The largest encoded document kept as bytes. */
        static final int AS_BYTES_UP_TO = 16 * 1024;

        /** Each position's document: its BSON bytes, a {@link Document} if it is large, or null if the place is free. */
        private final List<Object> documents = new ArrayList<>();
        private final ArrayDeque<Integer> emptyPositions = new ArrayDeque<>();

        UnsizedCollection(MemoryDatabase database, String name, CollectionOptions options, CursorRegistry cursorRegistry) {
            super(database, name, options, cursorRegistry);
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected Integer addDocumentInternal(Document document) {
            Object stored = stored(document);
            Integer position = emptyPositions.poll();
            if (position == null) {
                documents.add(stored);
                return documents.size() - 1;
            }
            documents.set(position, stored);
            return position;
        }

        @Override
        protected Document getDocument(Integer position) {
            return document(documents.get(position));
        }

        @Override
        protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
            if (position == null) {
                throw new IllegalStateException("no place found for the updated document in " + this);
            }
            // A large document rarely shrinks much: it stays a tree without being encoded to find out.
            documents.set(position, documents.get(position) instanceof Document ? newDocument : stored(newDocument));
        }

        @Override
        protected void removeDocument(Integer position) {
            documents.set(position, null);
            emptyPositions.add(position);
        }

        @Override
        public synchronized int count() {
            return documents.size() - emptyPositions.size();
        }

        @Override
        public synchronized boolean isEmpty() {
            return count() == 0;
        }

        @Override
        public synchronized int count(Document query, int skip, int limit) {
            // The base class reads the documents here without the collection's lock; a torn read of bytes would throw.
            return super.count(query, skip, limit);
        }

        /** How many documents are kept as bytes, for tests. */
        synchronized long keptAsBytes() {
            return documents.stream().filter(byte[].class::isInstance).count();
        }

        @Override
        protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                             Document fieldSelector) {
            IntStream positions = IntStream.range(0, documents.size());
            if (isNaturalDescending(orderBy)) {
                int last = documents.size() - 1;
                positions = positions.map(i -> last - i);
            }
            Stream<Object> stored = positions.mapToObj(documents::get).filter(Objects::nonNull);
            // A scan decodes the fields the query names first, and the whole document only if those match.
            Optional<QueryFields> fields = QueryFields.of(query);
            if (fields.isPresent() && !query.isEmpty()) {
                QueryFields named = fields.get();
                stored = stored.filter(s -> !(s instanceof byte[] bson) || documentMatchesQuery(named.pick(bson), query));
            }
            Stream<Document> candidates = stored.map(UnsizedCollection::document);
            return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }

        @Override
        protected QueryResult matchDocuments(Document query, Iterable<Integer> positions, Document orderBy, int numberToSkip,
                                             int limit, int batchSize, Document fieldSelector) {
            // Only ever called with the positions of an index that took the whole query, here the _id index.
            return super.matchDocuments(isStringIdsIn(query) ? new Document() : query, positions, orderBy, numberToSkip, limit,
                    batchSize, fieldSelector);
        }

        @Override
        protected Integer findDocumentPosition(Document document) {
            // Only for a collection without indexes; by equality, as the stock backend finds it.
            return streamAllDocumentsWithPosition()
                    .filter(stored -> stored.getDocument().equals(document))
                    .map(DocumentWithPosition::getPosition)
                    .findFirst()
                    .orElse(null);
        }

        @Override
        protected Stream<DocumentWithPosition<Integer>> streamAllDocumentsWithPosition() {
            return IntStream.range(0, documents.size())
                    .filter(position -> documents.get(position) != null)
                    .mapToObj(position -> new DocumentWithPosition<>(getDocument(position), position));
        }

        private boolean isStringIdsIn(Document query) {
            return query.size() == 1 && query.get(getIdField()) instanceof Document condition && condition.size() == 1
                    && condition.get("$in") instanceof java.util.Collection<?> ids && ids.stream().allMatch(String.class::isInstance);
        }

        /** What to keep of {@code document}: its bytes, or itself if they are too many. */
        private static Object stored(Document document) {
            ByteBuf buffer = Unpooled.buffer(256);
            try {
                BsonEncoder.encodeDocument(document, buffer);
                if (buffer.readableBytes() > AS_BYTES_UP_TO) {
                    return document;
                }
                byte[] bytes = new byte[buffer.readableBytes()];
                buffer.readBytes(bytes);
                return bytes;
            } finally {
                buffer.release();
            }
        }

        private static Document document(Object stored) {
            return stored instanceof byte[] bson ? BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson)) : (Document) stored;
        }
    }

}
