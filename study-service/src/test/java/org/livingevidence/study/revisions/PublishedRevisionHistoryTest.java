package org.livingevidence.study.revisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.events.StudyRevised;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;
import org.livingevidence.support.outbox.OutboxHook;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.TestInfrastructure;

/**
 * The relay's repair of the revision history, on the real MongoDB server: a published revision missing from the
 * history (its write was lost between the entity's insert and the history's) is put back, and the revisions already
 * there are left as they are. The first test publishes events this instance did not note as written to the history
 * (as after a restart, or from another instance); the second, the events its writes built.
 */
@ExtendWith(InfrastructureExtension.class)
class PublishedRevisionHistoryTest {

    private MongoClient client;
    private MongoDatabase database;
    private Outbox outbox;
    private final AtomicReference<OutboxHook> relayHook = new AtomicReference<>();
    /** Every event the writes built, as the relay will publish them. */
    private final List<OutboxEvent> built = new java.util.concurrent.CopyOnWriteArrayList<>();
    private RevisionedCollection<StudyRevised> studies;

    @BeforeEach
    void start(TestInfrastructure infrastructure) {
        client = MongoClients.create(infrastructure.mongoUri());
        database = client.getDatabase(TestInfrastructure.uniqueName("history"));
        outbox = new Outbox("history-test", Clock.systemUTC(), database, new MongoIndexes()) {
            @Override
            public void hook(MongoCollection<Document> collection, OutboxHook hook) {
                relayHook.set(hook);
                super.hook(collection, hook);
            }

            @Override
            public OutboxEvent event(Record payload, String key) {
                OutboxEvent event = super.event(payload, key);
                built.add(event);
                return event;
            }
        };
        studies = new RevisionedCollection<>(database, new MongoIndexes(), "studies", StudyRevised.class, outbox, "study",
                StudyRevised::studyId, StudyRevised::studyId, StudyRevised::revision, StudyRevised::revisedAt);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static StudyRevised study(String id) throws IOException {
        try (InputStream in = StudyRevised.class.getClassLoader()
                .getResourceAsStream("org/livingevidence/contracts/examples/study-revised/v1/randomised-trial.json")) {
            StudyRevised example = EventJson.mapper().readValue(in, StudyRevised.class);
            return new StudyRevised(id, example.revision(), example.status(), example.citation(), example.design(),
                    example.enrolment(), example.arms(), example.riskOfBias(), example.linkedStudyIds(), example.revisedAt(),
                    example.revisedBy(), example.reason());
        }
    }

    @Test
    void aPublishedRevisionMissingFromTheHistoryIsPutBackAndTheOthersAreLeftAsTheyAre() throws IOException {
        StudyRevised lost = study("st_lost");
        StudyRevised kept = study("st_kept");
        studies.create(lost.studyId(), lost, null);
        studies.create(kept.studyId(), kept, null);
        MongoCollection<Document> history = database.getCollection("studies_revisions");
        Document keptBefore = history.find(Filters.eq("entityId", kept.studyId())).first();
        Document lostBefore = history.find(Filters.eq("entityId", lost.studyId())).first();
        assertThat(keptBefore).isNotNull();
        assertThat(lostBefore).isNotNull();
        // Something the relay cannot tell from a lost write: the revision the history should hold is not there.
        history.deleteOne(Filters.eq("entityId", lost.studyId()));
        history.updateOne(Filters.eq("entityId", kept.studyId()), com.mongodb.client.model.Updates.set("marker", "untouched"));

        relayHook.get().published(List.of(outbox.event(lost, lost.studyId()), outbox.event(kept, kept.studyId())));

        List<Document> all = history.find().into(new ArrayList<>());
        assertThat(all).hasSize(2);
        assertThat(history.find(Filters.eq("entityId", lost.studyId())).first()).isEqualTo(lostBefore);
        assertThat(history.find(Filters.eq("entityId", kept.studyId())).first().getString("marker")).isEqualTo("untouched");
    }

    @Test
    void aRevisionThisInstanceWroteToTheHistoryIsNotLookedUpWhenPublishedButIsWhenPublishedAgain() throws IOException {
        StudyRevised created = study("st_created");
        studies.create(created.studyId(), created, null);
        StudyRevised revised = studies.revise(created.studyId(), created, new StudyRevised(created.studyId(), created.revision() + 1,
                created.status(), created.citation(), created.design(), created.enrolment(), created.arms(), created.riskOfBias(),
                created.linkedStudyIds(), created.revisedAt().plusSeconds(60), created.revisedBy(), created.reason()));
        MongoCollection<Document> history = database.getCollection("studies_revisions");
        assertThat(history.countDocuments(Filters.eq("entityId", created.studyId()))).isEqualTo(2);
        assertThat(built).hasSize(2);
        // Taken away behind the writer's back: the repair, were it to look, would put them back.
        history.deleteMany(Filters.eq("entityId", created.studyId()));

        relayHook.get().published(built);
        assertThat(history.countDocuments(Filters.eq("entityId", created.studyId()))).isZero();

        // Published again (a pass that failed after its hook ran, say): no longer noted, so they are looked up and kept.
        relayHook.get().published(built);
        assertThat(history.find(Filters.eq("entityId", created.studyId())).into(new ArrayList<>()))
                .extracting(d -> ((Number) d.get("revision")).longValue())
                .containsExactlyInAnyOrder(created.revision(), revised.revision());
    }
}
