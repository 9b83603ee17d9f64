package org.livingevidence.support.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's events ahead of the backlog in front of them. During an import, a curator's single record waits on its
 * partition behind up to thousands of the import's records that the service's {@link EventConsumer} has yet to
 * handle. This reader follows the topics from their end, outside any consumer group, and hands an event the outbox
 * relay marked as interactive ({@link CloudEventPublishing#interactive}) to the same handler at once, when the
 * group's member in this instance ({@link GroupProgress}) holds its partition and would make it wait:
 * <ul>
 *   <li>the partition waits to retry an event at or before it (a failure, backpressure);</li>
 *   <li>or the member has not fetched it, and has been handling a poll for {@link #GROUP_BUSY_FOR} or longer while
 *   the event waited as long (during an import, a poll of up to 1,000 events takes hundreds of milliseconds, and the
 *   event would wait for it and then for its own poll);</li>
 *   <li>or the member has not fetched it {@link #UNFETCHED_FOR} after it arrived (a backlog drained in short polls).</li>
 * </ul>
 * Each event read is watched, and looked at again every {@link #RECHECK}, until it is taken, or the member has
 * handled it, or {@link #WATCH_AT_MOST} has passed. A group that keeps up is polling when an event arrives and fetches
 * it within milliseconds, then handles it (a question with one or two changes first in its poll): in steady state
 * nothing is computed twice. Another instance's partition is that instance's lane's.
 *
 * <p>It only ever goes ahead: it commits nothing and skips whatever it cannot handle (an event that does not decode,
 * a handler failure, a moment when {@code open} says no). The consumer group still reads every event in order, and a
 * handler that ignores revisions it already holds makes the second handling a no-op; a handler whose writes are
 * guarded by the version they read (analysis-service's projections) lets only one of two concurrent handlings land.
 * After a failure of its own it starts again from the topics' end.
 *
 * <p>Going ahead means a person's change is applied before the import's changes queued ahead of it on the same
 * partition: for a question both change at once, the estimate that follows pools the person's record without those
 * import rows, which the next estimate adds (as the import's pacing already lets a person's record overtake the rows
 * still waiting in study-service's outbox). Each record's own revisions keep their order.
 */
public final class InteractiveLane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InteractiveLane.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How often events left to the group are looked at again, while there are any. */
    private static final Duration RECHECK = Duration.ofMillis(20);
    /** How long an event is looked at again at most. */
    private static final Duration WATCH_AT_MOST = Duration.ofSeconds(10);
    /** How long an event may wait for the group member holding its partition to fetch it: far more than a fetch takes. */
    static final Duration UNFETCHED_FOR = Duration.ofMillis(200);
    /** How many events left to the group are watched at most (a person's: a handful at a time). */
    private static final int WATCHED_AT_MOST = 1_000;
    /** How often the topics' partitions are listed again (a partition added to a topic is followed from its end). */
    private static final Duration PARTITIONS_EVERY = Duration.ofSeconds(30);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    /** After a failure of its own: the consumer loop's growing pause, from 1 s to 30 s (attempts do not apply). */
    private static final EventConsumer.Policy RESTARTS = new EventConsumer.Policy(1, FIRST_PAUSE, Duration.ofSeconds(30), POLL);

    /**
     * How long the group's member must have been handling a poll without the event for this reader to act: a group
     * that keeps up handles a person's event in about 10 ms (docs/performance.md), an import's poll takes hundreds.
     */
    public static final Duration GROUP_BUSY_FOR = Duration.ofMillis(20);

    /** Where the consumer group's member in this instance is ({@link EventConsumer}). */
    interface GroupProgress {
        /** The offset after the last record a poll brought it on {@code partition}; 0 for none yet, -1 when it does not hold it. */
        long fetchedUpTo(TopicPartition partition);

        /** The offset after the last event it handled on {@code partition}; 0 for none yet, -1 when it does not hold it. */
        long handledUpTo(TopicPartition partition);

        /** The offset of the event the partition waits to retry; -1 when it does not wait. */
        long retryingAt(TopicPartition partition);

        /** How long it has been handling the poll it handles now; zero while it polls. */
        Duration handlingFor();
    }

    private final Collection<String> topics;
    private final EventHandler handler;
    private final BooleanSupplier open;
    private final GroupProgress group;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final ConsumerThread thread;
    private final java.util.concurrent.atomic.AtomicLong handled = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param group the service's consumer of the same topics with the same handler
     * @param open  whether events may be handled now (analysis-service: once it knows whether its start is a rebuild,
     *              and not while a rebuild folds quietly); events read while it says no are skipped, not kept
     */
    public InteractiveLane(KafkaSettings kafka, EventConsumer group, BooleanSupplier open) {
        this(group.group(), group.topics(), group.handler(), open, group,
                () -> new KafkaConsumer<>(config(kafka), new StringDeserializer(), new ByteArrayDeserializer()));
    }

    InteractiveLane(String name, Collection<String> topics, EventHandler handler, BooleanSupplier open, GroupProgress group,
                    Supplier<Consumer<String, byte[]>> consumers) {
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.open = open;
        this.group = group;
        this.consumers = consumers;
        this.thread = new ConsumerThread("interactive-lane-" + name, this::supervise);
    }

    private static Map<String, Object> config(KafkaSettings kafka) {
        Map<String, Object> config = kafka.clientConfig();
        // No group: nothing is committed, and the partitions are assigned here, never rebalanced.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Asking for a topic's partitions before it is provisioned must not create it with the broker's defaults.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }

    public void start() {
        thread.start();
    }

    /** Events handed to the handler that it handled without failing. */
    public long handled() {
        return handled.get();
    }

    /** Interactive events not handled here (undecodable, refused by {@code open}, or failed): the group handles them. */
    public long skipped() {
        return skipped.get();
    }

    private void supervise() {
        int failures = 0;
        while (thread.running()) {
            try {
                session();
                failures = 0;
            } catch (WakeupException e) {
                if (!thread.running()) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                failures++;
                Duration pause = RESTARTS.pauseAfter(failures);
                // Nothing is lost: the consumer group handles every event this reader misses.
                LOG.warn("interactive lane on {} failed ({}); it follows the topics' end again in {} ms", topics, e.toString(), pause.toMillis());
                thread.pause(pause);
            }
        }
    }

    private void session() {
        try (Consumer<String, byte[]> c = consumers.get()) {
            thread.polling(c);
            Set<TopicPartition> assigned = new HashSet<>();
            List<Watched> watched = new ArrayList<>();
            long listedAt = 0;
            while (thread.running()) {
                if (System.nanoTime() - listedAt > PARTITIONS_EVERY.toNanos() || assigned.isEmpty()) {
                    follow(c, assigned);
                    listedAt = System.nanoTime();
                    if (assigned.isEmpty()) {
                        thread.pause(FIRST_PAUSE);
                        continue;
                    }
                }
                for (ConsumerRecord<String, byte[]> record : c.poll(watched.isEmpty() ? POLL : RECHECK)) {
                    if (CloudEventPublishing.interactive(record.headers())) {
                        if (watched.size() < WATCHED_AT_MOST) {
                            watched.add(new Watched(record, System.nanoTime()));
                        } else {
                            skipped.incrementAndGet();
                        }
                    }
                }
                List<IncomingEvent> events = new ArrayList<>();
                // A partition's later events wait while an earlier one does: each record's revisions keep their order.
                Set<TopicPartition> waiting = new HashSet<>();
                for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
                    Watched next = it.next();
                    TopicPartition partition = new TopicPartition(next.record().topic(), next.record().partition());
                    Verdict verdict = waiting.contains(partition) ? Verdict.WATCH : verdict(next, partition);
                    if (verdict == Verdict.WATCH) {
                        waiting.add(partition);
                        continue;
                    }
                    if (verdict == Verdict.IN_HAND) {
                        continue;
                    }
                    it.remove();
                    if (verdict == Verdict.TAKE) {
                        try {
                            events.add(EventDecoder.decode(next.record()));
                        } catch (UndecodableEvent e) {
                            skipped.incrementAndGet(); // the group dead-letters it
                        }
                    }
                }
                if (!events.isEmpty()) {
                    handle(events);
                }
            }
        } finally {
            thread.polling(null);
        }
    }

    /** An interactive event read here and not yet taken or left to the group, since when. */
    private record Watched(ConsumerRecord<String, byte[]> record, long since) {
    }

    /** TAKE it now; LEAVE it to the group for good; WATCH it (and the partition's later events); it is IN_HAND of the group. */
    private enum Verdict { TAKE, LEAVE, WATCH, IN_HAND }

    /**
     * TAKE when this instance's group member holds the event's partition and would make it wait (see above); LEAVE
     * when the member has handled it, or after {@link #WATCH_AT_MOST}; WATCH otherwise (the member has it in hand, is
     * polling, or does not hold the partition).
     */
    private Verdict verdict(Watched watched, TopicPartition partition) {
        long offset = watched.record().offset();
        long retrying = group.retryingAt(partition);
        if (retrying >= 0 && offset >= retrying) {
            return Verdict.TAKE;
        }
        long handledUpTo = group.handledUpTo(partition);
        if (handledUpTo >= 0 && offset < handledUpTo) {
            return Verdict.LEAVE;
        }
        long waited = System.nanoTime() - watched.since();
        if (waited > WATCH_AT_MOST.toNanos()) {
            return Verdict.LEAVE;
        }
        long fetched = group.fetchedUpTo(partition);
        if (fetched < 0) {
            return Verdict.WATCH;
        }
        if (offset < fetched) {
            // In the poll the member handles now (its question first, with one or two changes): taken only if that fails.
            return Verdict.IN_HAND;
        }
        boolean busy = group.handlingFor().compareTo(GROUP_BUSY_FOR) >= 0 && waited >= GROUP_BUSY_FOR.toNanos();
        return busy || waited >= UNFETCHED_FOR.toNanos() ? Verdict.TAKE : Verdict.WATCH;
    }

    /**
     * Follows, from their end, the topics' partitions not yet followed. Partitions are only ever added (Kafka never
     * removes one), so a metadata answer that briefly lacks a topic changes nothing.
     */
    private void follow(Consumer<String, byte[]> c, Set<TopicPartition> assigned) {
        Set<TopicPartition> added = new HashSet<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = c.partitionsFor(topic);
            if (partitions != null) {
                partitions.forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        added.removeAll(assigned);
        if (!added.isEmpty()) {
            assigned.addAll(added);
            c.assign(assigned);
            c.seekToEnd(added);
        }
    }

    private void handle(List<IncomingEvent> events) {
        if (!open.getAsBoolean()) {
            skipped.addAndGet(events.size());
            return;
        }
        try {
            handler.handleAll(events);
            handled.addAndGet(events.size());
        } catch (RuntimeException e) {
            // The group wrote first, an outage, or anything else: the group handles them in order, and reports its own failures.
            skipped.addAndGet(events.size());
            if (Failures.isTransient(e)) {
                LOG.debug("interactive lane left {} events to the consumer group: {}", events.size(), e.toString());
            } else {
                LOG.warn("interactive lane left {} events to the consumer group after a failure", events.size(), e);
            }
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
