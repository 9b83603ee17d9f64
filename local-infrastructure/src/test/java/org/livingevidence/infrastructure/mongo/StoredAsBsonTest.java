package org.livingevidence.infrastructure.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.MaxKey;
import org.bson.types.MinKey;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryBackend} keeps documents as BSON bytes and scans by the fields a query names; whatever a client
 * writes, updates, finds, counts or deletes must come out as from mongo-java-server's stock in-memory backend, which
 * keeps the documents as they were decoded.
 */
class StoredAsBsonTest {

    private static InMemoryBackend oursBackend;
    private static MongoServer ours;
    private static MongoServer stock;
    private static MongoClient oursClient;
    private static MongoClient stockClient;

    @BeforeAll
    static void start() {
        oursBackend = new InMemoryBackend();
        ours = new MongoServer(oursBackend);
        stock = new MongoServer(new MemoryBackend());
        oursClient = MongoClients.create("mongodb://localhost:" + ours.bind().getPort() + "/?uuidRepresentation=standard");
        stockClient = MongoClients.create("mongodb://localhost:" + stock.bind().getPort() + "/?uuidRepresentation=standard");
    }

    @AfterAll
    static void stop() {
        oursClient.close();
        stockClient.close();
        ours.shutdownNow();
        stock.shutdownNow();
    }

    /** Every BSON type a client can write, in a document and nested in one, at the start, the middle and the end. */
    private static Document everyType(int n) {
        Document nested = new Document("s", "inner " + n).append("i", n).append("list", List.of(1, "two", 3.0, new Document("x", n)));
        return new Document("_id", "doc-" + n)
                .append("double", 1.5 * n)
                .append("string", "ünïcødé " + n)
                .append("document", nested)
                .append("array", List.of(n, n + 1, List.of("nested", n)))
                .append("binary", new Binary(new byte[] {1, 2, 3, (byte) n}))
                .append("uuid", new UUID(42L, n))
                .append("objectId", new ObjectId(new Date(1_700_000_000_000L), n))
                .append("boolean", n % 2 == 0)
                .append("date", Date.from(Instant.ofEpochMilli(1_700_000_000_000L + n)))
                .append("null", null)
                .append("regex", new BsonRegularExpression("^a.c$", "i"))
                .append("int32", n)
                .append("timestamp", new BsonTimestamp(1_700_000_000, n))
                .append("int64", 10_000_000_000L + n)
                .append("decimal", Decimal128.parse("3.14159265358979323846" + n))
                .append("minKey", new MinKey())
                .append("maxKey", new MaxKey())
                .append("group", "g" + (n % 3))
                .append("tags", n % 2 == 0 ? List.of("even", "t" + n) : List.of("odd"))
                .append("last", n);
    }

    private static <T> void sameOnBoth(String collection, Function<MongoCollection<Document>, T> action, List<T> answers) {
        for (MongoClient client : List.of(oursClient, stockClient)) {
            answers.add(action.apply(client.getDatabase("bson").getCollection(collection)));
        }
        assertThat(answers.get(0)).as("answer of ours, then of the stock backend").isEqualTo(answers.get(1));
        answers.clear();
    }

    @Test
    void readsBackEveryTypeAsWrittenAndFindsWhatTheStockBackendFinds() {
        List<Object> answers = new ArrayList<>();
        sameOnBoth("things", c -> {
            c.createIndex(Indexes.ascending("int32"), new IndexOptions().unique(true));
            c.createIndex(Indexes.ascending("group", "int64"));
            for (int n = 0; n < 12; n++) {
                c.insertOne(everyType(n));
            }
            return c.countDocuments();
        }, answers);

        List<Function<MongoCollection<Document>, Object>> queries = List.of(
                c -> c.find().into(new ArrayList<>()),
                c -> c.find(Filters.eq("group", "g1")).into(new ArrayList<>()),
                c -> c.find(Filters.eq("document.s", "inner 4")).into(new ArrayList<>()),
                c -> c.find(Filters.in("group", "g0", "g2")).sort(Sorts.descending("int64")).skip(1).limit(3).into(new ArrayList<>()),
                c -> c.find(Filters.and(Filters.gt("double", 3.0), Filters.lt("int64", 10_000_000_008L))).into(new ArrayList<>()),
                c -> c.find(Filters.or(Filters.eq("tags", "odd"), Filters.eq("boolean", true))).into(new ArrayList<>()),
                c -> c.find(Filters.nor(Filters.eq("group", "g0"), Filters.exists("missing"))).into(new ArrayList<>()),
                c -> c.find(Filters.exists("missing", false)).projection(Projections.include("last")).into(new ArrayList<>()),
                c -> c.find(Filters.elemMatch("document.list", Filters.eq("x", 5))).into(new ArrayList<>()),
                c -> c.find(Filters.regex("string", "cødé 1")).into(new ArrayList<>()),
                c -> c.find(Filters.eq("null", null)).into(new ArrayList<>()),
                c -> c.find(Filters.eq("uuid", new UUID(42L, 7))).into(new ArrayList<>()),
                c -> c.find(Filters.expr(new Document("$gt", List.of("$int32", "$last")))).into(new ArrayList<>()),
                c -> c.find(Filters.size("tags", 2)).sort(new Document("$natural", -1)).into(new ArrayList<>()),
                c -> c.find(Filters.eq("int32", 3)).into(new ArrayList<>()),
                c -> c.countDocuments(Filters.eq("tags", "even")),
                c -> c.distinct("group", String.class).into(new ArrayList<>()));
        for (Function<MongoCollection<Document>, Object> query : queries) {
            sameOnBoth("things", query, answers);
        }
        // The types came back as written (as the client decodes them), not only alike on both backends.
        Document read = oursClient.getDatabase("bson").getCollection("things").find(Filters.eq("_id", "doc-4")).first();
        assertThat(read).isEqualTo(everyType(4));
    }

    @Test
    void updatesReplacementsUpsertsAndDeletesLeaveWhatTheStockBackendLeaves() {
        List<Object> answers = new ArrayList<>();
        sameOnBoth("changes", c -> {
            c.createIndex(Indexes.ascending("slot"), new IndexOptions().unique(true).sparse(true));
            for (int n = 0; n < 20; n++) {
                c.insertOne(new Document("_id", "r" + n).append("slot", "s" + n).append("question", "q" + (n % 4)).append("n", n)
                        .append("events", List.of(new Document("id", "e" + n), new Document("id", "f" + n))));
            }
            c.updateOne(Filters.eq("_id", "r1"), Updates.combine(Updates.inc("n", 100), Updates.set("added", List.of(1, 2))));
            c.updateMany(Filters.eq("question", "q2"), Updates.pull("events", new Document("id", "e2")));
            c.updateMany(Filters.in("question", "q3"), Updates.unset("slot"));
            c.updateOne(Filters.eq("_id", "r5"), Updates.push("events", new Document("id", "g5")));
            c.replaceOne(Filters.eq("_id", "r6"), new Document("replaced", true).append("slot", "s6"));
            c.updateOne(Filters.eq("_id", "new"), Updates.set("question", "q9"), new UpdateOptions().upsert(true));
            Document before = c.findOneAndUpdate(Filters.eq("slot", "s8"), Updates.set("n", -8));
            Document after = c.findOneAndUpdate(Filters.eq("question", "q1"), Updates.inc("n", 1),
                    new FindOneAndUpdateOptions().sort(Sorts.descending("n")).returnDocument(ReturnDocument.AFTER));
            // Documents over the size kept as bytes: one inserted large, one grown large by an update, both updated again.
            c.insertOne(new Document("_id", "large").append("question", "q1").append("text", "x".repeat(40_000)).append("n", 1));
            c.updateOne(Filters.eq("_id", "r9"), Updates.set("text", "y".repeat(40_000)));
            c.updateMany(Filters.in("_id", "large", "r9"), Updates.inc("n", 1000));
            long deleted = c.deleteMany(Filters.eq("question", "q0")).getDeletedCount();
            c.insertOne(new Document("_id", "r0").append("slot", "s0").append("question", "again"));
            // An index built over the documents already there.
            c.createIndex(Indexes.ascending("question", "_id"), new IndexOptions().unique(true));
            return List.of(before, after, deleted, c.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()),
                    c.find(Filters.gt("n", 1000)).into(new ArrayList<>()),
                    c.find().sort(new Document("$natural", -1)).batchSize(2).into(new ArrayList<>()));
        }, answers);
        // Both ways of keeping a document were taken: the two large ones as trees, the others as bytes.
        long documents = oursClient.getDatabase("bson").getCollection("changes").countDocuments();
        assertThat(oursBackend.documentsKeptAsBytes("bson", "changes")).isEqualTo(documents - 2);
        // The unique index still holds after the updates, the deletion and the new document in a freed place.
        sameOnBoth("changes", c -> {
            try {
                c.insertOne(new Document("_id", "dup").append("slot", "s1"));
                return "inserted";
            } catch (com.mongodb.MongoWriteException e) {
                return e.getError().getCategory().name();
            }
        }, answers);
    }

    @Test
    void picksTheNamedFieldsOfEveryTypeAsTheWholeDocumentDecodes() {
        de.bwaldvogel.mongo.bson.Document whole = new de.bwaldvogel.mongo.bson.Document();
        whole.put("before", 1.5);
        whole.put("text", "ünïcødé");
        whole.put("nested", new de.bwaldvogel.mongo.bson.Document("a", List.of(1, 2L, "three")));
        whole.put("binary", new de.bwaldvogel.mongo.bson.BinData(new byte[] {9, 8, 7}));
        whole.put("id", new de.bwaldvogel.mongo.bson.ObjectId());
        whole.put("flag", true);
        whole.put("when", Instant.ofEpochMilli(123_456_789L));
        whole.put("nothing", null);
        whole.put("pattern", new de.bwaldvogel.mongo.bson.BsonRegularExpression("a+b", "i"));
        whole.put("int", 7);
        whole.put("stamp", new de.bwaldvogel.mongo.bson.BsonTimestamp(99L));
        whole.put("long", 1L << 40);
        whole.put("decimal", new de.bwaldvogel.mongo.bson.Decimal128(1L, 2L));
        whole.put("min", de.bwaldvogel.mongo.bson.MinKey.getInstance());
        whole.put("max", de.bwaldvogel.mongo.bson.MaxKey.getInstance());
        whole.put("code", new de.bwaldvogel.mongo.bson.BsonJavaScript("return 1"));
        whole.put("after", "end");
        ByteBuf buffer = Unpooled.buffer();
        BsonEncoder.encodeDocument(whole, buffer);
        byte[] bson = new byte[buffer.readableBytes()];
        buffer.readBytes(bson);

        for (String field : whole.keySet()) {
            de.bwaldvogel.mongo.bson.Document query = new de.bwaldvogel.mongo.bson.Document("$and",
                    List.of(new de.bwaldvogel.mongo.bson.Document(field + ".x", 1), new de.bwaldvogel.mongo.bson.Document("after", "end")));
            de.bwaldvogel.mongo.bson.Document picked = QueryFields.of(query).orElseThrow().pick(bson);
            de.bwaldvogel.mongo.bson.Document expected = new de.bwaldvogel.mongo.bson.Document();
            expected.put(field, whole.get(field));
            expected.put("after", "end");
            // By their text: the server's regular expressions have no equals.
            assertThat(picked).as(field).hasToString(expected.toString());
        }
        assertThat(QueryFields.of(new de.bwaldvogel.mongo.bson.Document("$where", "true"))).isEmpty();
        // A path with an empty step names one field by the whole key, for the matcher.
        assertThat(QueryFields.of(new de.bwaldvogel.mongo.bson.Document("a..b", 1))).isEmpty();
        assertThat(QueryFields.of(new de.bwaldvogel.mongo.bson.Document(".a", 1))).isEmpty();
        assertThat(QueryFields.of(new de.bwaldvogel.mongo.bson.Document("$or",
                List.of(new de.bwaldvogel.mongo.bson.Document("$expr", true))))).isEmpty();
    }
}
