package org.livingevidence.contracts;

import java.util.Arrays;
import java.util.Optional;
import org.livingevidence.contracts.events.ApiKeyRevised;
import org.livingevidence.contracts.events.ApiKeyUsed;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.DeadLetterRecorded;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.StudyRevised;

/**
 * Every event type of the public API: its CloudEvents {@code type} (reverse-DNS, with the payload's major
 * version), the topic it travels on, its JSON Schema and its Java payload record.
 */
public enum EventType {
    QUESTION_REVISED("org.livingevidence.question.revised.v1", Topics.QUESTIONS,
            "question-revised", 1, QuestionRevised.class),
    STUDY_REVISED("org.livingevidence.study.revised.v1", Topics.STUDIES,
            "study-revised", 1, StudyRevised.class),
    OUTCOME_RECORD_REVISED("org.livingevidence.outcome-record.revised.v1", Topics.OUTCOME_RECORDS,
            "outcome-record-revised", 1, OutcomeRecordRevised.class),
    POOLED_ESTIMATE_COMPUTED("org.livingevidence.pooled-estimate.computed.v1", Topics.POOLED_ESTIMATES,
            "pooled-estimate-computed", 1, PooledEstimateComputed.class),
    CONCLUSION_SHIFTED("org.livingevidence.conclusion.shifted.v1", Topics.CONCLUSION_SHIFTS,
            "conclusion-shifted", 1, ConclusionShifted.class),
    API_KEY_REVISED("org.livingevidence.api-key.revised.v1", Topics.API_KEYS,
            "api-key-revised", 1, ApiKeyRevised.class),
    API_KEY_USED("org.livingevidence.api-key.used.v1", Topics.API_KEY_USAGE,
            "api-key-used", 1, ApiKeyUsed.class),
    DEAD_LETTER_RECORDED("org.livingevidence.dead-letter.recorded.v1", Topics.DEAD_LETTERS,
            "dead-letter-recorded", 1, DeadLetterRecorded.class);

    private final String ceType;
    private final String topic;
    private final String schemaName;
    private final int version;
    private final Class<? extends Record> payloadType;

    EventType(String ceType, String topic, String schemaName, int version, Class<? extends Record> payloadType) {
        this.ceType = ceType;
        this.topic = topic;
        this.schemaName = schemaName;
        this.version = version;
        this.payloadType = payloadType;
    }

    public String ceType() {
        return ceType;
    }

    public String topic() {
        return topic;
    }

    /** Classpath resource of this type's JSON Schema, e.g. {@code org/livingevidence/contracts/schemas/question-revised/v1.json}. */
    public String schemaResource() {
        return "org/livingevidence/contracts/schemas/" + schemaName + "/v" + version + ".json";
    }

    /** Classpath folder of this type's golden example payloads. */
    public String examplesFolder() {
        return "org/livingevidence/contracts/examples/" + schemaName + "/v" + version;
    }

    public String schemaName() {
        return schemaName;
    }

    public int version() {
        return version;
    }

    public Class<? extends Record> payloadType() {
        return payloadType;
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    public static EventType of(Class<? extends Record> payloadType) {
        return Arrays.stream(values()).filter(t -> t.payloadType.equals(payloadType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + payloadType.getName()));
    }
}
