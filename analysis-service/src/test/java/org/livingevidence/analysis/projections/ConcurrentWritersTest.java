package org.livingevidence.analysis.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.analysis.OwnConsumerGroup;
import org.livingevidence.analysis.ServiceReadiness;
import org.livingevidence.analysis.TestEvents;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.support.events.IncomingEvent;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.outbox.Outbox;

/**
 * Two writers of one question's projection (the consumer group and the interactive lane, or two instances), on the
 * real MongoDB server: the one whose write another landed before is applied again on fresh state, at once.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentWritersTest implements OwnConsumerGroup {

    @Inject
    AnalysisEventHandler otherWriter;
    @Inject
    MongoDatabase database;
    @Inject
    Outbox outbox;
    @Inject
    MongoIndexes indexes;
    @Inject
    PublishedEstimates published;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry registry;
    @Inject
    @Client("/")
    HttpClient http;


    /** A repository that lets another writer save the question between this writer's read and its first write. */
    private final class Interleaved extends ProjectionRepository {
        private Runnable beforeFirstSave;
        private int saves;

        Interleaved() {
            super(database, outbox, indexes, published);
        }

        @Override
        public void saveAll(List<Save> toSave) {
            saves++;
            Runnable other = beforeFirstSave;
            beforeFirstSave = null;
            if (other != null) {
                other.run();
            }
            super.saveAll(toSave);
        }
    }

    @Test
    void aWriteAnotherWriterBeatIsAppliedAgainOnFreshStateInsteadOfFailingTheBatch() {
        ServiceReadiness.await(http);
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        otherWriter.handleAll(List.of(event(EventType.QUESTION_REVISED, TestEvents.question(q, "RANDOM")),
                event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "r0", 1, 0.80, 0.60, 1.07))));
        Interleaved repository = new Interleaved();
        AnalysisEventHandler writer = new AnalysisEventHandler(repository, outbox, clock, registry, 0.1);
        repository.beforeFirstSave = () -> otherWriter.handleAll(List.of(
                event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "r1", 1, 0.75, 0.55, 1.02))));

        writer.handleAll(List.of(event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "r2", 1, 0.70, 0.50, 0.98))));

        assertThat(repository.saves).isEqualTo(2);
        QuestionProjection now = repository.load(q);
        assertThat(now.records()).extracting(QuestionProjection.RecordState::recordId).containsExactly("r0", "r1", "r2");
        // One estimate each, numbered on from the other writer's: none lost, none twice.
        assertThat(now.estimateVersion()).isEqualTo(3);
        assertThat(now.latestEstimate().k()).isEqualTo(3);
        assertThat(now.latestEstimate().triggers()).extracting(Trigger::id).containsExactly("r2");
    }

    @Test
    void aRevisionTheOtherWriterAppliedFirstIsNotAppliedOrPublishedAgain() {
        ServiceReadiness.await(http);
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        otherWriter.handleAll(List.of(event(EventType.QUESTION_REVISED, TestEvents.question(q, "RANDOM"))));
        IncomingEvent record = event(EventType.OUTCOME_RECORD_REVISED, TestEvents.hr(q, "r0", 1, 0.80, 0.60, 1.07));
        Interleaved repository = new Interleaved();
        AnalysisEventHandler writer = new AnalysisEventHandler(repository, outbox, clock, registry, 0.1);
        // The interactive lane handles a person's record while the group's batch holding it is being computed.
        repository.beforeFirstSave = () -> otherWriter.handleAll(List.of(record));

        writer.handleAll(List.of(record));

        QuestionProjection now = repository.load(q);
        assertThat(now.records()).hasSize(1);
        assertThat(now.estimateVersion()).isEqualTo(1);
    }

    private static IncomingEvent event(EventType type, Record payload) {
        return new IncomingEvent(UUID.randomUUID().toString(), type, "test", OffsetDateTime.now(), payload,
                type == EventType.QUESTION_REVISED ? Topics.QUESTIONS : Topics.OUTCOME_RECORDS, 0, 0);
    }
}
