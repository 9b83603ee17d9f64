package org.livingevidence.support.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.livingevidence.support.outbox.OutboxEvent;

/**
 * The one event envelope: CloudEvents 1.0, written by the cloudevents-kafka serializer in binary mode (attributes
 * as {@code ce_*} headers, the JSON payload as the record value).
 */
public final class CloudEventPublishing {

    public static final String CONTENT_TYPE = "application/json";

    private CloudEventPublishing() {
    }

    public static CloudEvent toCloudEvent(OutboxEvent event) {
        return CloudEventBuilder.v1()
                .withId(event.eventId())
                .withSource(URI.create(event.source()))
                .withType(event.ceType())
                .withSubject(event.key())
                .withTime(OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC))
                .withData(CONTENT_TYPE, event.data().getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
