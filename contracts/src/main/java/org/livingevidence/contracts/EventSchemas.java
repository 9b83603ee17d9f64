package org.livingevidence.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates payloads against the committed JSON Schemas (draft 2020-12), each in the equivalent form that checks only
 * the branch a document names ({@link DiscriminatedOneOf}), numeric bounds compared as doubles where that gives the
 * same answer ({@link NumericBounds}). Thread-safe.
 */
public final class EventSchemas {

    // Before SCHEMAS, which load() fills with them.
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .metaSchema(NumericBounds.draft202012()).build();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<EventType, JsonSchema> SCHEMAS = load();

    private EventSchemas() {
    }

    private static Map<EventType, JsonSchema> load() {
        Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("missing schema " + type.schemaResource());
                }
                schemas.put(type, compile(DiscriminatedOneOf.rewrite(EventJson.mapper().readTree(in))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schemas;
    }

    /** {@code schema} as a validator, as this class configures them (format assertions on, {@link NumericBounds}). */
    static JsonSchema compile(JsonNode schema) {
        return FACTORY.getSchema(schema, CONFIG);
    }

    /** The schema violations of {@code payload}, empty when it conforms. */
    public static List<String> violations(EventType type, JsonNode payload) {
        Set<ValidationMessage> messages = SCHEMAS.get(type).validate(payload);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Serializes a payload record, failing if the result breaks its contract. */
    public static String toValidatedJson(Record payload) {
        EventType type = EventType.of(payload.getClass());
        JsonNode tree = EventJson.mapper().valueToTree(payload);
        List<String> errors = violations(type, tree);
        if (!errors.isEmpty()) {
            throw new ContractViolation(type, errors);
        }
        try {
            return EventJson.mapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates an incoming payload into its record. */
    public static <T extends Record> T parse(EventType type, byte[] json, Class<T> recordType) {
        try {
            JsonNode tree = EventJson.mapper().readTree(json);
            List<String> errors = violations(type, tree);
            if (!errors.isEmpty()) {
                throw new ContractViolation(type, errors);
            }
            return EventJson.mapper().treeToValue(tree, recordType);
        } catch (IOException e) {
            throw new ContractViolation(type, List.of("not JSON: " + e.getMessage()));
        }
    }
}
