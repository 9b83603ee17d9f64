package org.livingevidence.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.livingevidence.contracts.EventJson;

/** Parses JSON in tests with the event mapping, failing the test on malformed JSON. */
public final class TestJson {

    private TestJson() {
    }

    public static JsonNode parse(String json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
