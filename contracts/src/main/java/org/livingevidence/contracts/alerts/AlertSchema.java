package org.livingevidence.contracts.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * Validates alert bodies (webhook POSTs, the source of emails and feed entries) against {@code schemas/alert/v1.json}.
 * Its references to the event schemas resolve on the classpath, so the alert and the events cannot disagree.
 */
public final class AlertSchema {

    static final String RESOURCE = "org/livingevidence/contracts/schemas/alert/v1.json";

    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(
                            "https://livingevidence.org/contracts/schemas/", "classpath:org/livingevidence/contracts/schemas/")))
            .getSchema(SchemaLocation.of("classpath:" + RESOURCE),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    private AlertSchema() {
    }

    /** The schema violations of an alert body, empty when it conforms. */
    public static List<String> violations(JsonNode alert) {
        return SCHEMA.validate(alert).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
