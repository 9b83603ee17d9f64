package org.livingevidence.analysis.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.analysis.OwnConsumerGroup;
import org.livingevidence.analysis.ServiceReadiness;
import org.livingevidence.analysis.TestEvents;
import org.livingevidence.analysis.estimates.EstimateHistory;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.support.events.IncomingEvent;

/**
 * Quiet folding decided batch by batch, on the real MongoDB server: the batches are handed to the handler directly, so
 * their size is the test's, not the poll's. The context's own consumer runs beside it on other questions.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuietFoldingTest implements OwnConsumerGroup {

    private static final int RECORDS = 1_100;

    @Inject
    AnalysisEventHandler handler;
    @Inject
    ProjectionRepository projections;
    @Inject
    EstimateHistory history;
    @Inject
    @Client("/")
    HttpClient http;


    @Test
    void aRebuildPublishesNothingWhileItFoldsAndItsEndListsEveryChangeInEstimatesOfAtMostTheLimit() {
        ServiceReadiness.await(http);
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        List<IncomingEvent> question = List.of(event(EventType.QUESTION_REVISED, TestEvents.question(q, "RANDOM")));
        List<IncomingEvent> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            records.add(event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "r" + i, 1, 0.70 + (i % 10) * 0.02, 0.50, 1.10)));
        }
        handler.handleAll(question);
        handler.handleAll(records);
        QuestionProjection published = projections.load(q);
        assertThat(published.latestEstimate().k()).isEqualTo(RECORDS);
        long version = published.estimateVersion();
        // One estimate per 1,000 changes, the way every batch publishes.
        assertThat(version).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> history.version(q, version).isPresent());

        // A rebuild's database: the question's projection is gone, and its events are read again in one batch.
        projections.collection().deleteOne(Filters.eq("_id", q));
        handler.foldQuietly();
        try {
            List<IncomingEvent> replay = new ArrayList<>(records);
            replay.add(0, question.get(0));
            handler.handleAll(replay);
            QuestionProjection folded = projections.load(q);
            assertThat(folded.records()).hasSize(RECORDS);
            // A quiet batch continues no numbering (the estimate history may still be being read): the end does.
            assertThat(folded.estimateVersion()).isZero();
            assertThat(folded.latestEstimate()).isNull();

            // More changes than one estimate may list: folded too, however many.
            List<IncomingEvent> revisions = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                revisions.add(event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "r" + i, 2, 0.80, 0.60, 1.05)));
            }
            handler.handleAll(revisions);
            QuestionProjection afterRevisions = projections.load(q);
            assertThat(afterRevisions.records()).allMatch(r -> r.revision() == 2);
            assertThat(afterRevisions.estimateVersion()).isZero();
        } catch (AssertionError | RuntimeException e) {
            handler.publishFolded(List::of); // the context's own consumer must not stay quiet
            throw e;
        }
        assertThat(handler.publishFolded(() -> List.of(q))).isGreaterThanOrEqualTo(1);
        // Two estimates of the final state, numbered on from the published one and listing changes relative to it
        // (records it pooled at revision 1, revised): the first lists 1,000 changes, the second the other 100.
        QuestionProjection ended = projections.load(q);
        assertThat(ended.estimateVersion()).isEqualTo(version + 2);
        assertThat(ended.latestEstimate().triggers()).hasSize(RECORDS - FieldLimits.TRIGGERS_PER_ESTIMATE)
                .allMatch(t -> t.change() == Trigger.Change.REVISED);
        assertThat(ended.latestEstimate().trigger().id()).isEqualTo("r" + (RECORDS - 1));
        assertThat(ended.latestEstimate().k()).isEqualTo(RECORDS);
        assertThat(LatestEstimateDiff.unpublishedChanges(ended)).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> history.version(q, version + 1).isPresent());
        assertThat(history.version(q, version + 1).orElseThrow().triggers()).hasSize(FieldLimits.TRIGGERS_PER_ESTIMATE)
                .allMatch(t -> t.change() == Trigger.Change.REVISED).extracting(Trigger::id).startsWith("r0", "r1");
    }

    @Test
    void aProjectionTheRebuildsEndDidNotContinueIsNumberedOnFromItsPublishedEstimatesWithItsNextChange() {
        ServiceReadiness.await(http);
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        IncomingEvent question = event(EventType.QUESTION_REVISED, TestEvents.question(q, "RANDOM"));
        IncomingEvent first = event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "a", 1, 0.80, 0.60, 1.07));
        handler.handleAll(List.of(question));
        handler.handleAll(List.of(first));
        long version = projections.load(q).estimateVersion();
        assertThat(version).isPositive();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> history.version(q, version).isPresent());

        // Folded by a rebuild whose end never reached it (skipped, or another instance's end came first).
        projections.collection().deleteOne(Filters.eq("_id", q));
        handler.foldQuietly();
        try {
            handler.handleAll(List.of(question, first));
        } finally {
            handler.publishFolded(List::of);
        }
        assertThat(projections.load(q).estimateVersion()).isZero();

        handler.handleAll(List.of(event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "b", 1, 0.70, 0.55, 0.89))));
        QuestionProjection next = projections.load(q);
        assertThat(next.estimateVersion()).isEqualTo(version + 1);
        assertThat(next.latestEstimate().k()).isEqualTo(2);
        // Listed relative to the published estimate, which pooled "a" already.
        assertThat(next.latestEstimate().triggers()).extracting(t -> t.id() + " " + t.change()).containsExactly("b ADDED");
    }

    /**
     * A curator's record that comes in one batch behind an import's records on another question is computed (and
     * written) first: its estimate does not wait for the import's. Both questions get their estimates.
     */
    @Test
    void aQuestionWithOneChangeInABatchIsComputedBeforeAQuestionWithMany() {
        ServiceReadiness.await(http);
        String imported = "q_" + UUID.randomUUID().toString().substring(0, 8);
        String curated = "q_" + UUID.randomUUID().toString().substring(0, 8);
        handler.handleAll(List.of(event(EventType.QUESTION_REVISED, TestEvents.question(imported, "RANDOM")),
                event(EventType.QUESTION_REVISED, TestEvents.question(curated, "RANDOM"))));
        List<IncomingEvent> batch = new ArrayList<>();
        // Enough records that the import's question takes a while to compute: the two times are far apart either way.
        for (int i = 0; i < 600; i++) {
            batch.add(event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(imported, "r" + i, 1, 0.70 + (i % 10) * 0.02, 0.50, 1.10)));
        }
        batch.add(event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(curated, "c", 1, 0.80, 0.60, 1.07)));
        handler.handleAll(batch);
        QuestionProjection importedNow = projections.load(imported);
        QuestionProjection curatedNow = projections.load(curated);
        assertThat(importedNow.latestEstimate().k()).isEqualTo(600);
        assertThat(curatedNow.latestEstimate().k()).isEqualTo(1);
        assertThat(curatedNow.latestEstimate().computedAt()).isBefore(importedNow.latestEstimate().computedAt());
    }

    private static IncomingEvent event(EventType type, Record payload) {
        return new IncomingEvent(UUID.randomUUID().toString(), type, "test", OffsetDateTime.now(), payload,
                type == EventType.QUESTION_REVISED ? Topics.QUESTIONS : Topics.OUTCOME_RECORDS, 0, 0);
    }
}
