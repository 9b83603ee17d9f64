package org.livingevidence.support.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.livingevidence.contracts.FiniteNumbers;

/**
 * The HTTP APIs write JSON as the events do (ISO-8601 instants, no null fields), so a resource and its event look
 * the same. Requests are strict: an unknown field is refused, naming it, rather than silently dropped, so that a
 * curator's typo ({@code cilevel}) cannot lose a figure.
 */
@Singleton
public class HttpJsonMapping implements BeanCreatedEventListener<ObjectMapper> {

    /** No JSON string in a request can be longer: the longest free text any field allows is far shorter. */
    static final int MAX_STRING_CHARS = 2_100_000;

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        ObjectMapper mapper = event.getBean();
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.registerModule(FiniteNumbers.module());
        // Bounds on what a body can make the parser build, whatever the endpoint (field limits are the endpoints').
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_CHARS).maxNestingDepth(64).maxNumberLength(100).build());
        return mapper;
    }
}
