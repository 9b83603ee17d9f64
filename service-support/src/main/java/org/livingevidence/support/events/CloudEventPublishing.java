package org.livingevidence.support.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;

/**
 * The one event envelope: CloudEvents 1.0, written by the cloudevents-kafka serializer in binary mode (attributes
 * as {@code ce_*} headers, the JSON payload as the record value).
 */
public final class CloudEventPublishing {

    public static final String CONTENT_TYPE = "application/json";

    private CloudEventPublishing() {
    }

    /**
     * The CloudEvents extension attribute ({@code ce_lane} in Kafka binary mode) saying which of the outbox's lanes an
     * event went out from: {@link Outbox.Lane#INTERACTIVE} for a person's write (and anything published with one),
     * {@link Outbox.Lane#BULK} for an import's. Optional for consumers: a reader may act on interactive events ahead of
     * the backlog in front of them (analysis-service's {@code InteractiveLane}), never instead of reading them in order.
     */
    public static final String LANE = "lane";

    /** The event without a lane: events published outside the outbox (key usage reports, tests). */
    public static CloudEvent toCloudEvent(OutboxEvent event) {
        return builder(event).build();
    }

    /** The event as the outbox relay publishes it, with the lane it went out from. */
    public static CloudEvent toCloudEvent(OutboxEvent event, Outbox.Lane lane) {
        return builder(event).withExtension(LANE, lane.wireName()).build();
    }

    /** Whether a consumed record's headers say it went out from the interactive lane (not: it has no lane). */
    public static boolean interactive(org.apache.kafka.common.header.Headers headers) {
        return hasLane(headers, Outbox.Lane.INTERACTIVE);
    }

    /** Whether a consumed record's headers say it went out from the bulk lane (not: it has no lane). */
    public static boolean bulk(org.apache.kafka.common.header.Headers headers) {
        return hasLane(headers, Outbox.Lane.BULK);
    }

    private static boolean hasLane(org.apache.kafka.common.header.Headers headers, Outbox.Lane lane) {
        org.apache.kafka.common.header.Header header = headers.lastHeader("ce_" + LANE);
        return header != null && java.util.Arrays.equals(header.value(), WIRE_NAMES.get(lane));
    }

    private static final java.util.Map<Outbox.Lane, byte[]> WIRE_NAMES = java.util.Arrays.stream(Outbox.Lane.values())
            .collect(java.util.stream.Collectors.toMap(l -> l, l -> l.wireName().getBytes(StandardCharsets.UTF_8)));

    private static CloudEventBuilder builder(OutboxEvent event) {
        return CloudEventBuilder.v1()
                .withId(event.eventId())
                .withSource(URI.create(event.source()))
                .withType(event.ceType())
                .withSubject(event.key())
                .withTime(OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC))
                .withData(CONTENT_TYPE, event.data().getBytes(StandardCharsets.UTF_8));
    }
}
