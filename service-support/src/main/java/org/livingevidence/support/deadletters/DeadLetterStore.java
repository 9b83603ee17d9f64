package org.livingevidence.support.deadletters;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.bson.Document;
import org.bson.types.Binary;
import org.livingevidence.contracts.events.DeadLetterRecorded;
import org.livingevidence.contracts.events.DeadLetterRecorded.Encoding;
import org.livingevidence.contracts.events.DeadLetterRecorded.Reason;
import org.livingevidence.support.events.DeadLetterSink;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.paging.Page;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.mongo.CreateOnce;

/**
 * The dead letters of this service's consumers, in {@value #COLLECTION}: one document per record set aside, with the
 * record exactly as consumed (for re-driving) and its {@link DeadLetterRecorded} event, published to
 * {@code evidence.dead-letters.v1} through the outbox in the same write. Recording a record again changes nothing.
 */
@Singleton
public class DeadLetterStore implements DeadLetterSink {

    public static final String COLLECTION = "dead_letters";
    /** The most of a value the published event carries; the document keeps it all. */
    static final int EVENT_VALUE_LIMIT = 256 * 1024;
    static final int ERROR_LIMIT = 4000;

    /** OPEN until re-driven successfully. */
    public enum Status { OPEN, REDRIVEN }

    /** A dead letter as administrators see it: the event, its status, and the last re-drive's outcome. */
    public record DeadLetter(DeadLetterRecorded event, Status status, Instant redrivenAt, String redrivenBy, String lastRedriveError) {
    }

    private final MongoCollection<Document> letters;
    private final Outbox outbox;
    private final Clock clock;
    private final String service;
    private final MeterRegistry registry;

    DeadLetterStore(MongoDatabase database, Outbox outbox, Clock clock, MeterRegistry registry, MongoIndexes indexes,
                    @Value("${micronaut.application.name}") String service) {
        this.letters = database.getCollection(COLLECTION);
        indexes.ensure(letters, List.of(new com.mongodb.client.model.IndexModel(
                com.mongodb.client.model.Indexes.ascending("status", "recordedAtMillis"),
                new com.mongodb.client.model.IndexOptions().name("status_recorded"))));
        this.outbox = outbox;
        this.clock = clock;
        this.service = service;
        this.registry = registry;
    }

    @Override
    public void record(String group, ConsumerRecord<String, byte[]> record, Reason reason, String error, int attempts) {
        String id = group + ":" + record.topic() + ":" + record.partition() + ":" + record.offset();
        Map<String, String> headers = new LinkedHashMap<>();
        boolean textHeaders = true;
        for (Header h : record.headers()) {
            textHeaders &= h.value() == null || isUtf8(h.value());
        }
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? "" : textHeaders ? new String(h.value(), StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(h.value()));
        }
        byte[] value = record.value();
        boolean truncated = value != null && value.length > EVENT_VALUE_LIMIT;
        byte[] carried = truncated ? java.util.Arrays.copyOf(value, EVENT_VALUE_LIMIT) : value;
        boolean textValue = carried == null || (!truncated && isUtf8(carried));
        DeadLetterRecorded event = new DeadLetterRecorded(id, service, group, record.topic(), record.partition(), record.offset(),
                record.key(), headers, textHeaders ? Encoding.UTF8 : Encoding.BASE64,
                carried == null ? null : textValue ? new String(carried, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(carried),
                textValue ? Encoding.UTF8 : Encoding.BASE64, truncated, reason,
                error == null ? "" : error.length() > ERROR_LIMIT ? error.substring(0, ERROR_LIMIT) : error, attempts,
                record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()), clock.instant());
        Document document = PayloadDocuments.toDocument(id, event);
        document.put("rawValue", value == null ? null : new Binary(value));
        List<Document> rawHeaders = new ArrayList<>();
        for (Header h : record.headers()) {
            rawHeaders.add(new Document("key", h.key()).append("value", h.value() == null ? null : new Binary(h.value())));
        }
        document.put("rawHeaders", rawHeaders);
        document.put("status", Status.OPEN.name());
        document.put("recordedAtMillis", clock.millis());
        Outbox.Staging staging = outbox.stage(letters, id, id);
        outbox.putInitial(document, staging, List.of(outbox.event(event, id)));
        if (!CreateOnce.insert(letters, document)) {
            outbox.abandon(staging);
            return;
        }
        outbox.written();
        Counter.builder("evidence.dead.letters").description("records a consumer set aside")
                .tags("group", group, "reason", reason.name()).register(registry).increment();
    }

    public Page<DeadLetter> page(Status status, PageRequest request) {
        var filter = status == null ? Filters.exists("_id") : Filters.eq("status", status.name());
        long total = letters.countDocuments(filter);
        List<DeadLetter> items = letters.find(filter).sort(Sorts.descending("recordedAtMillis", "_id")).skip(request.offset())
                .limit(request.limit()).map(DeadLetterStore::view).into(new ArrayList<>());
        return new Page<>(items, total);
    }

    public Optional<DeadLetter> find(String id) {
        return Optional.ofNullable(letters.find(Filters.eq("_id", id)).first()).map(DeadLetterStore::view);
    }

    /** The record exactly as it was consumed, for handing to its consumer's handler again. */
    Optional<ConsumerRecord<String, byte[]>> raw(String id) {
        return Optional.ofNullable(letters.find(Filters.eq("_id", id)).first()).map(d -> {
            RecordHeaders headers = new RecordHeaders();
            for (Document h : d.getList("rawHeaders", Document.class, List.of())) {
                Binary v = h.get("value", Binary.class);
                headers.add(h.getString("key"), v == null ? null : v.getData());
            }
            Binary value = d.get("rawValue", Binary.class);
            Number offset = d.get("offset", Number.class);
            return new ConsumerRecord<>(d.getString("topic"), d.getInteger("partition"), offset.longValue(),
                    ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
                    d.getString("key"), value == null ? null : value.getData(), headers, Optional.empty());
        });
    }

    void markRedriven(String id, String by) {
        letters.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("status", Status.REDRIVEN.name()),
                Updates.set("redrivenAt", clock.instant().toString()), Updates.set("redrivenBy", by), Updates.unset("lastRedriveError")));
    }

    void markRedriveFailed(String id, String error) {
        letters.updateOne(Filters.eq("_id", id), Updates.set("lastRedriveError",
                error.length() > ERROR_LIMIT ? error.substring(0, ERROR_LIMIT) : error));
    }

    private static DeadLetter view(Document d) {
        Document payload = new Document(d);
        for (String field : List.of("rawValue", "rawHeaders", "status", "recordedAtMillis", "redrivenAt", "redrivenBy", "lastRedriveError")) {
            payload.remove(field);
        }
        String redrivenAt = d.getString("redrivenAt");
        return new DeadLetter(PayloadDocuments.fromDocument(payload, DeadLetterRecorded.class), Status.valueOf(d.getString("status")),
                redrivenAt == null ? null : Instant.parse(redrivenAt), d.getString("redrivenBy"), d.getString("lastRedriveError"));
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
