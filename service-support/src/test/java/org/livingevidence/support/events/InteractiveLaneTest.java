package org.livingevidence.support.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.Topics;

/**
 * What the interactive lane hands on and what it leaves to the consumer group, on Kafka's in-memory consumer (the
 * lane ahead of a stuck partition on the real broker: analysis-service's InteractiveLaneAheadOfBacklogTest).
 */
class InteractiveLaneTest {

    private static final String TOPIC = Topics.API_KEY_USAGE;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    private InteractiveLane lane;

    @AfterEach
    void stop() {
        if (lane != null) {
            lane.close();
        }
    }

    private static final Map<String, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A valid key id standing for {@code name} (key ids are k_ and 16 hex digits). */
    private static String keyIdOf(String name) {
        String keyId = String.format("k_%016x", name.hashCode() & 0xffffffffL);
        NAMES.put(keyId, name);
        return keyId;
    }

    /** The consumer loop's test event, standing for {@code name}, with {@code ce_lane} set to {@code lane} (none when null). */
    private static ConsumerRecord<String, byte[]> event(long offset, String name, String lane) {
        ConsumerRecord<String, byte[]> record = EventConsumerTest.event(0, offset, keyIdOf(name));
        if (lane != null) {
            record.headers().add("ce_lane", lane.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** An in-memory consumer that knows the topic's one partition, empty until the lane follows it; then {@code records}. */
    private static MockConsumer<String, byte[]> consumerWith(List<ConsumerRecord<String, byte[]>> records) {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.LATEST) {
            @Override
            public synchronized org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> poll(Duration timeout) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> polled = super.poll(timeout);
                if (polled.isEmpty()) {
                    // A real consumer waits up to the timeout for records; this one would spin the lane's loop.
                    try {
                        wait(Math.min(timeout.toMillis(), 10));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return polled;
            }
        };
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateEndOffsets(Map.of(PARTITION, 0L));
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
        return consumer;
    }

    /** Where a fake group member is: the same on every partition. */
    private record Progress(long fetchedUpTo, long handledUpTo, long retryingAt, Duration handlingFor) implements InteractiveLane.GroupProgress {
        @Override
        public long fetchedUpTo(TopicPartition partition) {
            return fetchedUpTo;
        }

        @Override
        public long handledUpTo(TopicPartition partition) {
            return handledUpTo;
        }

        @Override
        public long retryingAt(TopicPartition partition) {
            return retryingAt;
        }
    }

    /** A member that holds the partition, has fetched nothing of it, and has been busy with a poll for a second. */
    private static final Progress BUSY = new Progress(0, 0, -1, Duration.ofSeconds(1));

    private void start(List<ConsumerRecord<String, byte[]>> records, EventHandler handler, AtomicBoolean open) {
        start(records, handler, open, BUSY);
    }

    private void start(List<ConsumerRecord<String, byte[]>> records, EventHandler handler, AtomicBoolean open, Progress group) {
        MockConsumer<String, byte[]> consumer = consumerWith(records);
        lane = new InteractiveLane("test", List.of(TOPIC), handler, open::get, group, () -> consumer);
        lane.start();
    }

    /** A handler of whole batches, as the lane hands them on. */
    private static EventHandler batches(java.util.function.Consumer<List<IncomingEvent>> body) {
        return new EventHandler() {
            @Override
            public void handle(IncomingEvent event) {
                handleAll(List.of(event));
            }

            @Override
            public void handleAll(List<IncomingEvent> events) {
                body.accept(events);
            }
        };
    }

    private static String keyOf(IncomingEvent event) {
        return NAMES.get(event.payload(org.livingevidence.contracts.events.ApiKeyUsed.class).keyId());
    }

    @Test
    void onlyEventsMarkedInteractiveAreHandedOnAndBulkOrUnmarkedOnesAreLeftToTheGroup() {
        start(List.of(event(0, "bulk", "bulk"), event(1, "person", "interactive"), event(2, "unmarked", null),
                        event(3, "other", "INTERACTIVE"), event(4, "second", "interactive")),
                batches(events -> events.forEach(e -> handled.add(keyOf(e)))), new AtomicBoolean(true));

        await().atMost(Duration.ofSeconds(10)).until(() -> lane.handled() == 2);
        assertThat(handled).containsExactly("person", "second");
        assertThat(lane.skipped()).isZero();
    }

    @Test
    void whileClosedEventsAreSkippedNotKept() {
        start(List.of(event(0, "early", "interactive")), batches(events -> events.forEach(e -> handled.add(keyOf(e)))), new AtomicBoolean(false));

        await().atMost(Duration.ofSeconds(10)).until(() -> lane.skipped() == 1);
        assertThat(handled).isEmpty();
        assertThat(lane.handled()).isZero();
    }

    /** The events the lane hands on, of four interactive events at offsets 0 to 3, with the group member at {@code group}. */
    private List<String> handledWith(Progress group) {
        handled.clear();
        List<ConsumerRecord<String, byte[]>> records = List.of(event(0, "zero", "interactive"), event(1, "one", "interactive"),
                event(2, "two", "interactive"), event(3, "three", "interactive"));
        MockConsumer<String, byte[]> consumer = consumerWith(records);
        InteractiveLane probe = new InteractiveLane("test", List.of(TOPIC), batches(events -> events.forEach(e -> handled.add(keyOf(e)))),
                () -> true, group, () -> consumer);
        probe.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(PARTITION) == 4);
            // Longer than any threshold of the lane's (200 ms), far shorter than how long it watches an event (10 s).
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(10)).until(() -> true);
        } finally {
            probe.close();
        }
        return List.copyOf(handled);
    }

    @Test
    void anEventIsTakenAheadOnlyWhereTheGroupMemberHereWouldMakeItWait() {
        // The member fetched all four (it handles them now, small questions first), or handled them already.
        assertThat(handledWith(new Progress(4, 0, -1, Duration.ofSeconds(1)))).isEmpty();
        assertThat(handledWith(new Progress(4, 4, -1, Duration.ZERO))).isEmpty();
        // Busy with a long poll that holds only offsets 0 and 1: the others would wait for it, then for their own poll.
        assertThat(handledWith(new Progress(2, 0, -1, InteractiveLane.GROUP_BUSY_FOR))).containsExactly("two", "three");
        // The partition waits to retry the event at offset 1, however idle the member: it and what follows go ahead.
        assertThat(handledWith(new Progress(4, 1, 1, Duration.ZERO))).containsExactly("one", "two", "three");
        // Another member's partition: its own instance's lane decides.
        assertThat(handledWith(new Progress(-1, -1, -1, Duration.ofSeconds(1)))).isEmpty();
        // Not fetched long after it arrived, though the member's polls are short: a backlog drained poll by poll.
        assertThat(handledWith(new Progress(0, 0, -1, Duration.ZERO))).containsExactly("zero", "one", "two", "three");
    }

    @Test
    void anEventTheGroupFetchedIsTakenWhenItsPollFailsAndThePartitionWaitsToRetry() {
        java.util.concurrent.atomic.AtomicReference<Progress> now = new java.util.concurrent.atomic.AtomicReference<>(
                new Progress(1, 0, -1, Duration.ofMillis(5)));
        InteractiveLane.GroupProgress member = new InteractiveLane.GroupProgress() {
            @Override
            public long fetchedUpTo(TopicPartition partition) {
                return now.get().fetchedUpTo();
            }

            @Override
            public long handledUpTo(TopicPartition partition) {
                return now.get().handledUpTo();
            }

            @Override
            public long retryingAt(TopicPartition partition) {
                return now.get().retryingAt();
            }

            @Override
            public Duration handlingFor() {
                return now.get().handlingFor();
            }
        };
        MockConsumer<String, byte[]> consumer = consumerWith(List.of(event(0, "person", "interactive")));
        lane = new InteractiveLane("test", List.of(TOPIC), batches(events -> events.forEach(e -> handled.add(keyOf(e)))), () -> true,
                member, () -> consumer);
        lane.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(PARTITION) == 1);
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(handled).isEmpty();

        // The poll that held it failed (another question's backpressure, an outage): the partition waits at offset 0.
        now.set(new Progress(1, 0, 0, Duration.ZERO));

        await().atMost(Duration.ofSeconds(10)).until(() -> lane.handled() == 1);
        assertThat(handled).containsExactly("person");
    }

    @Test
    void anEventThatFailsOrDoesNotDecodeIsCountedAsSkippedAndTheLaneGoesOn() {
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(TOPIC, 0, 1, 0L, TimestampType.CREATE_TIME, 0, 0, "x",
                "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders().add("ce_lane", "interactive".getBytes(StandardCharsets.UTF_8)),
                Optional.empty());
        MockConsumer<String, byte[]> consumer = consumerWith(List.of(event(0, "fails", "interactive"), garbage));
        lane = new InteractiveLane("test", List.of(TOPIC), batches(events -> {
            events.forEach(e -> handled.add(keyOf(e)));
            if (events.stream().anyMatch(e -> keyOf(e).equals("fails"))) {
                throw new IllegalStateException("another writer first");
            }
        }), () -> true, BUSY, () -> consumer);
        lane.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lane.skipped() == 2);

        // One more event, after the failure and the garbage.
        consumer.schedulePollTask(() -> consumer.addRecord(event(2, "after", "interactive")));

        await().atMost(Duration.ofSeconds(10)).until(() -> lane.handled() == 1);
        assertThat(handled).containsExactly("fails", "after");
        assertThat(lane.skipped()).isEqualTo(2);
    }
}
