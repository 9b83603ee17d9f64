package org.livingevidence.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapping of event payloads, shared by producers, consumers and the contract tests. */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(FiniteNumbers.module())
            // Estimates carry thousands of doubles; this parser rounds exactly as Double.parseDouble does, faster.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Consumers must tolerate fields added by later, backward-compatible schema versions.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
