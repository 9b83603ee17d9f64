package org.livingevidence.analysis;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.Pico;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.support.events.CloudEventPublishing;
import org.livingevidence.support.outbox.OutboxEvent;

/** Publishes events as study-service does (CloudEvents, binary mode), for driving analysis-service in tests. */
final class TestEvents implements AutoCloseable {

    private final KafkaProducer<String, CloudEvent> producer;

    TestEvents(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new CloudEventSerializer());
    }

    void publish(Record payload, String questionId) {
        publish(payload, questionId, UUID.randomUUID().toString());
    }

    /** Publishes with a given CloudEvents id, as a redelivery would. */
    void publish(Record payload, String questionId, String eventId) {
        EventType type = EventType.of(payload.getClass());
        OutboxEvent event = new OutboxEvent(eventId, type.ceType(), "/test", type.topic(), questionId, Instant.now(),
                EventSchemas.toValidatedJson(payload));
        try {
            producer.send(new ProducerRecord<>(type.topic(), questionId, CloudEventPublishing.toCloudEvent(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static QuestionRevised question(String questionId, String model) {
        return new QuestionRevised(questionId, 1, "Test question " + questionId,
                new Pico("adults", "local therapy", "systemic therapy", "overall survival"), EffectMeasure.HR,
                BenefitDirection.LOWER, new AnalysisSettings(0.05, model, "DL", "WALD", null),
                QuestionRevised.QuestionStatus.ACTIVE, Instant.now(), "curator:test");
    }

    /** An HR record with a 95% CI, derived as study-service derives it. */
    static OutcomeRecordRevised hr(String questionId, String recordId, long revision, double hr, double lower, double upper) {
        double se = (Math.log(upper) - Math.log(lower)) / (2 * 1.959963984540054);
        return new OutcomeRecordRevised(recordId, questionId, "s-" + recordId, revision, OutcomeRecordRevised.RecordStatus.ACTIVE,
                "Study " + recordId, 2025, new ReportedOutcome.RatioWithCi(EffectMeasure.HR, hr, lower, upper, 0.95),
                new DerivedEffect(EffectMeasure.HR, EffectMeasure.Scale.LOG, Math.log(hr), se, "log ratio", java.util.List.of(),
                        false, java.util.List.of()),
                Instant.now(), "curator:test", null);
    }

    @Override
    public void close() {
        producer.close();
    }
}
