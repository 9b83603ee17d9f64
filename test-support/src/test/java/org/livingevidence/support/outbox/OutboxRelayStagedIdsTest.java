package org.livingevidence.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.livingevidence.support.mongo.MongoIndexes;

/**
 * The relay tests of {@link OutboxRelayTest}, with passes of the shared relay that read the entries staged through
 * this outbox by id (it owns every shard and, here, never rescans after its first pass, made before each test), so
 * that, for example, an entry read before its write landed must be read again from what the pass kept; and what only
 * such a relay does. (The tests that build a relay of their own after staging have it scan on its first pass.)
 */
class OutboxRelayStagedIdsTest extends OutboxRelayTest {

    @Override
    Duration rescanInterval() {
        return Duration.ofDays(1);
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** The same service's outbox in another instance: what it stages, this instance's relay is not told of. */
    private Outbox elsewhere() {
        return new Outbox("relay-test", Clock.systemUTC(), database, new MongoIndexes());
    }

    private static void oweThrough(Outbox outbox, MongoCollection<Document> collection, String id, OutboxEvent event) {
        Document document = new Document("_id", id);
        outbox.putInitial(document, outbox.stage(collection, id, event.key()), List.of(event));
        collection.insertOne(document);
    }

    @Test
    void anEntryStagedElsewhereWaitsForTheRescanAndOneStagedHereDoesNot() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        MovingClock clock = new MovingClock();
        try (OutboxRelay rescanning = relay(outbox, RelayShards.all(), clock, 500, BulkPacing.UNPACED, Duration.ofSeconds(1))) {
            assertThat(rescanning.publishPending()).isZero();
            oweThrough(elsewhere(), things, "elsewhere", event("k_00000000000000w1", 1));
            owe(things, "here", List.of(event("k_00000000000000w2", 2)));

            assertThat(rescanning.publishPending()).isEqualTo(1);
            assertThat(pendingDocuments()).containsExactly("elsewhere");

            clock.advance(Duration.ofSeconds(1));
            assertThat(rescanning.publishPending()).isEqualTo(1);
            assertThat(pendingDocuments()).isEmpty();

            assertThat(rescanning.publishPending()).as("having found one it was not told of, it scans once more").isZero();
            clock.advance(Duration.ofHours(-1));
            oweThrough(elsewhere(), things, "after-the-clock-went-back", event("k_00000000000000w1", 5));
            assertThat(rescanning.publishPending()).as("a clock set back does not put off the scan").isEqualTo(1);
        }
    }

    @Test
    void aRelayThatOwnedNoShardForAWhileScansWhenItOwnsThemAgain() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        java.util.concurrent.atomic.AtomicBoolean owning = new java.util.concurrent.atomic.AtomicBoolean(true);
        RelayShards comingAndGoing = new RelayShards() {
            @Override
            public Set<Integer> owned() {
                return owning.get() ? RelayShards.all().owned() : Set.of();
            }

            @Override
            public void close() {
            }
        };
        try (OutboxRelay returning = relay(outbox, comingAndGoing, Clock.systemUTC(), 500, BulkPacing.UNPACED, Duration.ofDays(1))) {
            assertThat(returning.publishPending()).isZero();
            owning.set(false);
            assertThat(returning.publishPending()).isZero();
            oweThrough(elsewhere(), things, "left-by-the-owner-meanwhile", event("k_00000000000000w8", 1));

            owning.set(true);
            assertThat(returning.publishPending()).isEqualTo(1);
        }
    }

    @Test
    void aBacklogStagedElsewhereIsScannedPassAfterPassUntilAScanFindsNothingNew() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        Outbox elsewhere = elsewhere();
        for (String id : List.of("old-1", "old-2", "old-3")) {
            oweThrough(elsewhere, things, id, event("k_00000000000000w7", id.length()));
        }
        try (OutboxRelay twoAPass = relay(outbox, RelayShards.all(), Clock.systemUTC(), 2, BulkPacing.UNPACED, Duration.ofDays(1))) {
            assertThat(twoAPass.publishPending()).isEqualTo(2);
            assertThat(twoAPass.publishPending()).as("the next pass scans as well").isEqualTo(1);
            assertThat(pendingDocuments()).isEmpty();
            assertThat(twoAPass.publishPending()).as("and so does the one after it, which finds nothing").isZero();

            oweThrough(elsewhere, things, "new", event("k_00000000000000w7", 9));
            assertThat(twoAPass.publishPending()).as("back to the entries staged here").isZero();
            assertThat(pendingDocuments()).containsExactly("new");
        }
    }

    @Test
    void aRelayOwningSomeShardsScansOnEveryPass() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        String key = "k_00000000000000w4";
        RelayShards one = new RelayShards() {
            @Override
            public Set<Integer> owned() {
                return Set.of(Outbox.shardOf(key));
            }

            @Override
            public void close() {
            }
        };
        try (OutboxRelay partial = relay(outbox, one, Clock.systemUTC(), 500, BulkPacing.UNPACED, Duration.ofDays(1))) {
            assertThat(partial.publishPending()).isZero();
            oweThrough(elsewhere(), things, "theirs-before", event(key, 4));
            assertThat(partial.publishPending()).isEqualTo(1);
            assertThat(pendingDocuments()).isEmpty();
        }
    }

    @Test
    void anImportStagedHereGoesOutAsThePacingAllowsAndIsHeldBackWhileMoreWaits() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        oweInBulk(things, List.of("b-1", "b-2", "b-3", "b-4"), "k_00000000000000w5");
        bulkAllowance.set(3);
        assertThat(relay.publishPending()).isEqualTo(3);
        assertThat(pendingDocuments()).containsExactly("b-4");
        assertThat(relay.heldBack()).isTrue();
    }
}
