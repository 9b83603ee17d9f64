package org.livingevidence.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.testing.EventPublisher;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.TopicReader.ConsumedRecord;

/**
 * Estimate versions stay monotonic across a rebuild: an instance with an empty database and a new consumer group
 * rebuilds its projections from the topics, and each question's numbering, and its shift baseline, continue from what
 * was published before, so integrators never see a version (or the shift id made from it) twice.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebuildFromTopicsTest implements OwnConsumerGroup {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    org.livingevidence.analysis.estimates.EstimateHistory history;

    @AutoClose
    private final EventPublisher events = new EventPublisher(infrastructure().kafkaBootstrapServers());

    @BeforeAll
    void ready() {
        ServiceReadiness.await(http);
    }

    private static Predicate<ConsumedRecord> of(String questionId) {
        return r -> questionId.equals(r.key());
    }

    /** Estimates of q itself, not those published under its key for other questions. */
    private static Predicate<ConsumedRecord> ofItself(String questionId) {
        return of(questionId).and(r -> TestJson.parse(r.value()).get("questionId").asText().equals(questionId));
    }

    private static List<Long> versions(List<ConsumedRecord> estimates) {
        return estimates.stream().map(r -> TestJson.parse(r.value()).get("estimateVersion").asLong()).toList();
    }

    private static final int HISTORY_AHEAD = 1_000;
    private static final int RECORDS_BETWEEN = 1_100;

    private static String newQuestion() {
        return "q_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aQuestionWithoutAProjectionContinuesFromItsLatestPublishedEstimate() throws Exception {
        // A significant estimate of another question, published again as version 7 of q: what a lost database had published.
        String other = newQuestion();
        events.publish(TestEvents.question(other, "RANDOM"), other);
        events.publish(TestEvents.hr(other, "a", 1, 0.70, 0.55, 0.89), other);
        String q = newQuestion();
        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES);
             TopicReader shifts = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.CONCLUSION_SHIFTS)) {
            JsonNode significant = TestJson.parse(estimates.await(1, of(other), Duration.ofSeconds(30)).get(0).value());
            assertThat(significant.at("/conclusion/significant").asBoolean()).isTrue();
            PooledEstimateComputed earlier = EventJson.mapper().treeToValue(((ObjectNode) significant.deepCopy())
                    .put("questionId", q).put("estimateVersion", 7), PooledEstimateComputed.class);
            events.publish(earlier, q);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/7")).has("k"));

            events.publish(TestEvents.question(q, "RANDOM"), q);
            events.publish(TestEvents.hr(q, "b", 1, 0.80, 0.60, 1.07), q);

            List<ConsumedRecord> published = estimates.await(2, of(q), Duration.ofSeconds(30));
            assertThat(published).extracting(r -> TestJson.parse(r.value()).get("estimateVersion").asLong()).containsExactly(7L, 8L);
            JsonNode next = TestJson.parse(published.get(1).value());
            assertThat(next.at("/conclusion/significant").asBoolean()).isFalse();
            // The baseline is the published conclusion, so losing significance is a shift, under an id not used before.
            JsonNode shift = TestJson.parse(shifts.await(1, of(q), Duration.ofSeconds(30)).get(0).value());
            assertThat(shift.get("shiftId").asText()).isEqualTo(q + ":8");
            assertThat(shift.get("shiftTypes")).extracting(JsonNode::asText).contains("SIGNIFICANCE_FLIP");

            // A version no instance would publish (above a gap, up to the largest there is) is kept in the history
            // but not continued from: one forged event must not steer the numbering.
            for (long forged : List.of(50L, Long.MAX_VALUE)) {
                events.publish(EventJson.mapper().treeToValue(((ObjectNode) next.deepCopy()).put("estimateVersion", forged),
                        PooledEstimateComputed.class), q);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> history.version(q, forged).isPresent());
            }
            assertThat(history.latest(List.of(q)).get(q).estimateVersion()).isEqualTo(8);
        }
    }

    @Test
    void aRebuildPublishesOnlyWhereItsRecordsNoLongerMatchTheLatestEstimateAndContinuesItsNumbering() throws Exception {
        String unchanged = newQuestion();
        String outdated = newQuestion();
        String spread = newQuestion();
        String large = newQuestion();
        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES);
             TopicReader shifts = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.CONCLUSION_SHIFTS)) {
            // A question whose latest estimate (2) pools all its records.
            events.publish(TestEvents.question(unchanged, "RANDOM"), unchanged);
            events.publish(TestEvents.hr(unchanged, "a", 1, 0.80, 0.60, 1.07), unchanged);
            estimates.await(1, ofItself(unchanged), Duration.ofSeconds(30));
            events.publish(TestEvents.hr(unchanged, "b", 1, 0.70, 0.55, 0.89), unchanged);
            JsonNode latestOfUnchanged = TestJson.parse(estimates.await(2, ofItself(unchanged), Duration.ofSeconds(30)).get(1).value());

            // A question whose latest published estimate (2) does not say what its records say: as if the instance
            // that published it had been behind. Ahead of it in its partition, many estimates of other questions: a
            // rebuild that did not wait for its history would reach the records long before the history reached 2.
            for (int i = 0; i < HISTORY_AHEAD; i++) {
                events.publish(EventJson.mapper().treeToValue(((ObjectNode) latestOfUnchanged.deepCopy())
                        .put("questionId", outdated + "-earlier-" + i), PooledEstimateComputed.class), outdated);
            }
            events.publish(TestEvents.question(outdated, "RANDOM"), outdated);
            events.publish(TestEvents.hr(outdated, "c", 1, 0.90, 0.70, 1.15), outdated);
            estimates.await(1, ofItself(outdated), Duration.ofSeconds(30));
            events.publish(EventJson.mapper().treeToValue(((ObjectNode) latestOfUnchanged.deepCopy())
                    .put("questionId", outdated).put("estimateVersion", 2), PooledEstimateComputed.class), outdated);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + outdated + "/estimates/2")).has("k"));

            // A question whose two records lie more than a poll batch apart (1,000 events), with a large question's
            // records between them (same partition): a rebuild that published per batch would publish an estimate
            // of the first record alone, and estimates of the large question pooling the first 1,000 records or so.
            events.publish(TestEvents.question(spread, "RANDOM"), spread);
            events.publish(TestEvents.question(large, "RANDOM"), large);
            events.publish(TestEvents.hr(spread, "d", 1, 0.80, 0.60, 1.07), spread);
            estimates.await(1, ofItself(spread), Duration.ofSeconds(30));
            for (int i = 0; i < RECORDS_BETWEEN; i++) {
                events.publish(TestEvents.hr(large, "x" + i, 1, 0.70 + (i % 10) * 0.02, 0.50, 1.10), spread);
            }
            events.publish(TestEvents.hr(spread, "e", 1, 0.70, 0.55, 0.89), spread);
            estimates.await(2, ofItself(spread), Duration.ofSeconds(60));
            // Reading on while waiting: the large question's last estimate may come after the spread one's (a batch
            // writes questions with one or two changes first), and readFor(ZERO) only looks at what was read already.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> estimates.readFor(Duration.ofMillis(250), ofItself(large)).stream()
                    .anyMatch(r -> TestJson.parse(r.value()).get("k").asInt() == RECORDS_BETWEEN));
            List<Long> largeBefore = versions(estimates.readFor(Duration.ZERO, ofItself(large)));
            Predicate<ConsumedRecord> ours = r -> List.of(unchanged, outdated, spread, large).contains(r.key());
            int shiftsBefore = shifts.readFor(Duration.ofSeconds(1), ours).size();

            Map<String, Object> rebuilt = new HashMap<>(infrastructure().serviceProperties("rebuilt"));
            rebuilt.put("kafka.consumer-group", "rebuild-" + UUID.randomUUID());
            rebuilt.put("micronaut.server.port", -1);
            try (EmbeddedServer replica = ApplicationContext.run(EmbeddedServer.class, rebuilt);
                 HttpClient replicaHttp = HttpClient.create(replica.getURL())) {
                List<ConsumedRecord> outdatedEstimates = estimates.await(3, ofItself(outdated), Duration.ofSeconds(90));
                assertThat(outdatedEstimates).extracting(r -> TestJson.parse(r.value()).get("estimateVersion").asLong())
                        .containsExactly(1L, 2L, 3L);
                JsonNode third = TestJson.parse(outdatedEstimates.get(2).value());
                assertThat(third.get("k").asInt()).isEqualTo(1);
                assertThat(third.get("triggers")).extracting(t -> t.get("id").asText() + " " + t.get("change").asText())
                        // Relative to 2 (another question's records and title): its record added, the others gone, the question.
                        .containsExactly("c ADDED", "a RETRACTED", "b RETRACTED", outdated + " REVISED");
                JsonNode served = TestJson.parse(replicaHttp.toBlocking().retrieve("/api/v1/questions/" + outdated + "/estimate"));
                assertThat(served.get("estimateVersion").asLong()).isEqualTo(3);

                // Published in the same pass as 6 if at all: the others' latest estimates already said it.
                estimates.readFor(Duration.ofSeconds(3), r -> false);
                for (String question : List.of(unchanged, spread)) {
                    assertThat(versions(estimates.readFor(Duration.ZERO, ofItself(question)))).as(question).containsExactly(1L, 2L);
                }
                assertThat(versions(estimates.readFor(Duration.ZERO, ofItself(large)))).isEqualTo(largeBefore);
                assertThat(TestJson.parse(replicaHttp.toBlocking().retrieve("/api/v1/questions/" + spread + "/estimate"))
                        .get("estimateVersion").asLong()).isEqualTo(2);
                List<String> shiftIds = shifts.readFor(Duration.ofSeconds(1), ours).stream()
                        .map(r -> TestJson.parse(r.value()).get("shiftId").asText()).toList();
                assertThat(shiftIds).doesNotHaveDuplicates();
                assertThat(shiftIds.size() - shiftsBefore).isLessThanOrEqualTo(1);
            }
        }
    }
}
