package org.livingevidence.support.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.ApiKeyUsed;
import org.livingevidence.contracts.events.DeadLetterRecorded.Reason;

/** The consumer loop's policies, on Kafka's in-memory consumer: what is retried, what is set aside, what restarts. */
class EventConsumerTest {

    private static final String TOPIC = Topics.API_KEY_USAGE;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final EventConsumer.Policy FAST = new EventConsumer.Policy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(5));

    private record SetAside(long offset, Reason reason, int attempts) {
    }

    private final ConcurrentLinkedQueue<SetAside> deadLetters = new ConcurrentLinkedQueue<>();
    private final List<EventConsumer> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(EventConsumer::close);
    }

    private static ConsumerRecord<String, byte[]> event(long offset, String keyId) {
        return event(0, offset, keyId);
    }

    /** A valid {@code ApiKeyUsed} event at {@code offset} of {@code partition} (also the interactive lane's test event). */
    static ConsumerRecord<String, byte[]> event(int partition, long offset, String keyId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", ("e-" + offset).getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/test".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "org.livingevidence.api-key.used.v1".getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        String json = "{\"keyId\": \"" + keyId + "\", \"service\": \"s\", \"lastUsedAt\": \"2026-12-02T00:00:00Z\"}";
        return new ConsumerRecord<>(TOPIC, partition, offset, 0L, TimestampType.CREATE_TIME, 0, 0, keyId, json.getBytes(StandardCharsets.UTF_8),
                headers, Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> garbage(long offset) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, "x", "{}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), Optional.empty());
    }

    private static ReplayingConsumer consumerWith(List<ConsumerRecord<String, byte[]>> records) {
        ReplayingConsumer consumer = new ReplayingConsumer();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            consumer.updateEndOffsets(Map.of(PARTITION, (long) records.size()));
            records.forEach(consumer::append);
        });
        return consumer;
    }

    private EventConsumer start(EventHandler handler, Supplier<Consumer<String, byte[]>> consumers, DeadLetterSink sink) {
        EventConsumer consumer = new EventConsumer("g", List.of(TOPIC), handler, sink, consumers, EventConsumer.StartCondition.NONE, FAST,
                Clock.systemUTC(), (group, partition, lag) -> { });
        started.add(consumer);
        consumer.start();
        return consumer;
    }

    private DeadLetterSink sink() {
        return (group, record, reason, error, attempts) -> deadLetters.add(new SetAside(record.offset(), reason, attempts));
    }

    private static long committed(ReplayingConsumer consumer) {
        OffsetAndMetadata offset = consumer.committed(java.util.Set.of(PARTITION)).get(PARTITION);
        return offset == null ? -1 : offset.offset();
    }

    private static String keyOf(IncomingEvent event) {
        return event.payload(ApiKeyUsed.class).keyId();
    }

    @Test
    void itSaysWhereItIsForTheInteractiveLaneFetchedHandledRetryingAndBusy() throws Exception {
        ReplayingConsumer kafka = consumerWith(List.of(event(0, "k_0000000000000001"), event(1, "k_00000000000000ba")));
        java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();

        EventConsumer consumer = start(e -> {
            if (keyOf(e).endsWith("ba")) {
                failures.incrementAndGet();
                throw new TransientFailure("MongoDB is away");
            }
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, () -> kafka, sink());

        // Busy with the poll that brought both: fetched, not handled, for as long as the handler runs.
        assertThat(inHandler.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(consumer.fetchedUpTo(PARTITION)).isEqualTo(2);
        assertThat(consumer.handledUpTo(PARTITION)).isZero();
        Thread.sleep(30);
        assertThat(consumer.handlingFor()).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(consumer.fetchedUpTo(new TopicPartition(TOPIC, 1))).isEqualTo(-1);

        // The second event fails for as long as the outage lasts: the partition waits at it, the first is done.
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer.retryingAt(PARTITION) == 1 && consumer.handledUpTo(PARTITION) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer.handlingFor().isZero());
        assertThat(failures.get()).isPositive();
    }

    @Test
    void aRecordThatIsNotACloudEventIsSetAsideAndTheNextOneIsHandled() {
        ReplayingConsumer kafka = consumerWith(List.of(garbage(0), event(1, "k_0000000000000001")));
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();

        start(e -> handled.add(keyOf(e)), () -> kafka, sink());

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 2);
        assertThat(handled).containsExactly("k_0000000000000001");
        assertThat(deadLetters).containsExactly(new SetAside(0, Reason.NOT_A_CLOUD_EVENT, 0));
    }

    @Test
    void aHandlerThatAlwaysFailsIsRetriedABoundedNumberOfTimesThenTheEventIsSetAside() {
        ReplayingConsumer kafka = consumerWith(List.of(event(0, "k_00000000000000ba"), event(1, "k_0000000000000002")));
        AtomicInteger tries = new AtomicInteger();
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();

        start(e -> {
            if (keyOf(e).endsWith("ba")) {
                tries.incrementAndGet();
                throw new IllegalStateException("a bug");
            }
            handled.add(keyOf(e));
        }, () -> kafka, sink());

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 2);
        // Once with the whole batch (which does not say which event failed), then maxAttempts times on its own.
        assertThat(tries.get()).isEqualTo(FAST.maxAttempts() + 1);
        assertThat(deadLetters).containsExactly(new SetAside(0, Reason.HANDLER_FAILED, FAST.maxAttempts()));
        assertThat(handled).containsExactly("k_0000000000000002");
    }

    @Test
    void anOutageIsWaitedOutWithoutSettingAnythingAside() {
        ReplayingConsumer kafka = consumerWith(List.of(event(0, "k_0000000000000003")));
        AtomicInteger tries = new AtomicInteger();

        start(e -> {
            if (tries.incrementAndGet() <= FAST.maxAttempts() * 3) {
                throw new TransientFailure("MongoDB is away");
            }
        }, () -> kafka, sink());

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 1);
        assertThat(tries.get()).isEqualTo(FAST.maxAttempts() * 3 + 1);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void whenABatchFailsOnlyTheEventThatFailsIsSetAside() {
        ReplayingConsumer kafka = consumerWith(List.of(event(0, "k_0000000000000004"), event(1, "k_00000000000000ba"),
                event(2, "k_0000000000000005")));
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        EventHandler batchHandler = batchesOnly(events -> {
            if (events.stream().anyMatch(e -> keyOf(e).endsWith("ba"))) {
                throw new IllegalArgumentException("poison");
            }
            events.forEach(e -> handled.add(keyOf(e)));
        });

        start(batchHandler, () -> kafka, sink());

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 3);
        assertThat(handled).containsExactly("k_0000000000000004", "k_0000000000000005");
        assertThat(deadLetters).extracting(SetAside::offset).containsExactly(1L);
    }

    @Test
    void aPollOfSeveralPartitionsIsHandledInOneCallAndWhenThatFailsPartitionByPartitionSettingAsideOnlyTheEventThatFails() {
        TopicPartition second = new TopicPartition(TOPIC, 1);
        List<ConsumerRecord<String, byte[]>> first = List.of(event(0, 0, "k_0000000000000007"), event(0, 1, "k_0000000000000008"));
        List<ConsumerRecord<String, byte[]>> poisoned = List.of(event(1, 0, "k_0000000000000009"), event(1, 1, "k_00000000000000ba"),
                event(1, 2, "k_000000000000000a"));
        ReplayingConsumer kafka = new ReplayingConsumer();
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(PARTITION, second));
            kafka.updateBeginningOffsets(Map.of(PARTITION, 0L, second, 0L));
            kafka.updateEndOffsets(Map.of(PARTITION, 2L, second, 3L));
            first.forEach(kafka::append);
        });
        List<List<String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        EventHandler batchHandler = batchesOnly(events -> {
            calls.add(events.stream().map(EventConsumerTest::keyOf).toList());
            if (events.stream().anyMatch(e -> keyOf(e).endsWith("ba"))) {
                throw new IllegalArgumentException("poison");
            }
        });

        start(batchHandler, () -> kafka, sink());
        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 2);
        kafka.schedulePollTask(() -> {
            kafka.append(event(0, 2, "k_000000000000000b"));
            poisoned.forEach(kafka::append);
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 3 && committedOn(kafka, second) == 3);
        // The poll of both partitions in one call, in each partition's order; then partition by partition, then one by one.
        assertThat(calls.get(1)).containsExactlyInAnyOrder("k_000000000000000b", "k_0000000000000009", "k_00000000000000ba",
                "k_000000000000000a");
        assertThat(calls.get(1).subList(calls.get(1).indexOf("k_0000000000000009"), calls.get(1).indexOf("k_0000000000000009") + 3))
                .containsExactly("k_0000000000000009", "k_00000000000000ba", "k_000000000000000a");
        assertThat(calls.subList(2, calls.size())).contains(List.of("k_000000000000000b"),
                List.of("k_0000000000000009", "k_00000000000000ba", "k_000000000000000a"), List.of("k_000000000000000a"));
        assertThat(deadLetters).containsExactly(new SetAside(1, Reason.HANDLER_FAILED, FAST.maxAttempts()));
    }

    @Test
    void aRecordThatDoesNotDecodeInAPollOfSeveralPartitionsIsSetAsideAndTheRestIsHandled() {
        TopicPartition second = new TopicPartition(TOPIC, 1);
        ReplayingConsumer kafka = new ReplayingConsumer();
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(PARTITION, second));
            kafka.updateBeginningOffsets(Map.of(PARTITION, 0L, second, 0L));
            kafka.updateEndOffsets(Map.of(PARTITION, 2L, second, 1L));
            kafka.append(garbage(0));
            kafka.append(event(0, 1, "k_000000000000000c"));
            kafka.append(event(1, 0, "k_000000000000000d"));
        });
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();

        start(batchesOnly(events -> events.forEach(e -> handled.add(keyOf(e)))), () -> kafka, sink());

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 2 && committedOn(kafka, second) == 1);
        assertThat(handled).containsExactlyInAnyOrder("k_000000000000000c", "k_000000000000000d");
        assertThat(deadLetters).containsExactly(new SetAside(0, Reason.NOT_A_CLOUD_EVENT, 0));
    }

    /** A handler that must be called with batches ({@code handleAll}), never event by event. */
    private static EventHandler batchesOnly(java.util.function.Consumer<List<IncomingEvent>> batch) {
        return new EventHandler() {
            @Override
            public void handle(IncomingEvent event) {
                throw new AssertionError("the batch method is used");
            }

            @Override
            public void handleAll(List<IncomingEvent> events) {
                batch.accept(events);
            }
        };
    }

    private static long committedOn(ReplayingConsumer consumer, TopicPartition partition) {
        OffsetAndMetadata offset = consumer.committed(java.util.Set.of(partition)).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    @Test
    void aRecordIsNotLostWhenEvenSettingItAsideFailsForAWhile() {
        ReplayingConsumer kafka = consumerWith(List.of(garbage(0)));
        AtomicInteger attempts = new AtomicInteger();

        start(e -> { }, () -> kafka, (group, record, reason, error, tries) -> {
            if (attempts.incrementAndGet() < 4) {
                throw new TransientFailure("MongoDB is away");
            }
            deadLetters.add(new SetAside(record.offset(), reason, tries));
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(kafka) == 1);
        assertThat(deadLetters).hasSize(1);
    }

    @Test
    void aFailureOfThePollItselfStartsANewConsumerAndConsumptionGoesOn() {
        ReplayingConsumer broken = consumerWith(List.of());
        broken.setPollException(new KafkaException("the broker went away mid-fetch"));
        ReplayingConsumer fresh = consumerWith(List.of(event(0, "k_0000000000000006")));
        List<Consumer<String, byte[]>> consumers = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(broken, fresh));
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();

        EventConsumer consumer = start(e -> handled.add(keyOf(e)), () -> consumers.size() > 1 ? consumers.remove(0) : consumers.get(0), sink());

        await().atMost(Duration.ofSeconds(5)).until(() -> committed(fresh) == 1);
        assertThat(handled).containsExactly("k_0000000000000006");
        assertThat(consumer.status().state()).isEqualTo(EventConsumer.State.RUNNING);
    }
}
