package org.livingevidence.analysis.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.analysis.OwnConsumerGroup;
import org.livingevidence.analysis.ServiceReadiness;
import org.livingevidence.analysis.TestEvents;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.support.events.IncomingEvent;

/**
 * A batch writes the records it changed, not every record of its question again (on the embedded MongoDB server, or a
 * real one where the test infrastructure runs containers). Each
 * stored record is first marked in the database with a field the projection does not map: a record written again
 * loses the mark.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordWritesTest implements OwnConsumerGroup {

    private static final String MARK = "markedInTheDatabase";

    @Inject
    AnalysisEventHandler handler;
    @Inject
    ProjectionRepository projections;
    @Inject
    @Client("/")
    HttpClient http;

    @Test
    void aBatchRevisingOneRecordAndAddingTwoWritesThoseThreeInPlaceAndLeavesTheOthers() {
        ServiceReadiness.await(http);
        String q = questionWithFiveMarkedRecords();

        handler.handleAll(List.of(record(q, "r5", 1, 0.60), record(q, "r2", 2, 0.95), record(q, "r6", 1, 0.85)));

        List<Document> stored = storedRecords(q);
        assertThat(stored).extracting(d -> d.getString("recordId")).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6");
        assertThat(stored).extracting(d -> d.containsKey(MARK)).containsExactly(true, true, false, true, true, false, false);
        QuestionProjection now = projections.load(q);
        assertThat(now.record("r2").map(RecordState::revision)).contains(2L);
        assertThat(now.latestEstimate().k()).isEqualTo(7);
        assertThat(now.latestEstimate().triggers()).extracting(Trigger::id).containsExactly("r5", "r2", "r6");
        // What the estimate pooled is every record the document holds, each once.
        assertThat(now.latestEstimate().studies()).extracting(s -> s.recordId())
                .containsExactlyInAnyOrderElementsOf(now.records().stream().map(RecordState::recordId).toList());
    }

    @Test
    void aQuestionRevisionWritesNoRecordAndARedeliveredRecordWritesNothing() {
        ServiceReadiness.await(http);
        String q = questionWithFiveMarkedRecords();
        long version = projections.load(q).version();

        QuestionRevised first = TestEvents.question(q, "RANDOM");
        handler.handleAll(List.of(event(EventType.QUESTION_REVISED, new QuestionRevised(q, 2, "Renamed " + q, first.pico(),
                first.effectMeasure(), first.benefitDirection(), first.settings(), first.status(), first.revisedAt(),
                first.revisedBy(), first.tags(), "renamed"))));
        handler.handleAll(List.of(record(q, "r3", 1, 0.80)));

        assertThat(storedRecords(q)).extracting(d -> d.containsKey(MARK)).containsOnly(true);
        QuestionProjection now = projections.load(q);
        assertThat(now.version()).isEqualTo(version + 1);
        assertThat(now.latestEstimate().triggers()).extracting(Trigger::kind).containsExactly(Trigger.Kind.QUESTION);
    }

    @Test
    void aRebuildsQuietBatchAndItsEndWriteOnlyTheRecordsThatChanged() {
        ServiceReadiness.await(http);
        String q = questionWithFiveMarkedRecords();

        handler.foldQuietly();
        try {
            handler.handleAll(List.of(record(q, "r5", 1, 0.60), record(q, "r1", 2, 0.95)));
            assertThat(storedRecords(q)).extracting(d -> d.containsKey(MARK)).containsExactly(true, false, true, true, true, false);
        } finally {
            handler.publishFolded(() -> List.of(q));
        }

        // The end publishes what the batch folded in, and writes no record for it.
        assertThat(storedRecords(q)).extracting(d -> d.containsKey(MARK)).containsExactly(true, false, true, true, true, false);
        QuestionProjection now = projections.load(q);
        assertThat(now.latestEstimate().k()).isEqualTo(6);
        assertThat(now.latestEstimate().triggers()).extracting(Trigger::id).containsExactly("r1", "r5");
    }

    /** A question with records r0 to r4, each marked in the database. */
    private String questionWithFiveMarkedRecords() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        List<IncomingEvent> first = new ArrayList<>();
        first.add(event(EventType.QUESTION_REVISED, TestEvents.question(q, "RANDOM")));
        for (int i = 0; i < 5; i++) {
            first.add(record(q, "r" + i, 1, 0.70 + i * 0.05));
        }
        handler.handleAll(first);
        List<Bson> marks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            marks.add(Updates.set("records." + i + "." + MARK, true));
        }
        projections.collection().updateOne(Filters.eq("_id", q), Updates.combine(marks));
        assertThat(storedRecords(q)).extracting(d -> d.containsKey(MARK)).containsOnly(true).hasSize(5);
        return q;
    }

    private List<Document> storedRecords(String q) {
        return projections.collection().find(Filters.eq("_id", q)).first().getList("records", Document.class);
    }

    private static IncomingEvent record(String q, String recordId, long revision, double hr) {
        return event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, recordId, revision, hr, hr - 0.2, hr + 0.3));
    }

    private static IncomingEvent event(EventType type, Record payload) {
        return new IncomingEvent(UUID.randomUUID().toString(), type, "test", OffsetDateTime.now(), payload,
                type == EventType.QUESTION_REVISED ? Topics.QUESTIONS : Topics.OUTCOME_RECORDS, 0, 0);
    }
}
