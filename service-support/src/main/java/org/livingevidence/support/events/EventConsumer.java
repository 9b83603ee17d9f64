package org.livingevidence.support.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.livingevidence.contracts.events.DeadLetterRecorded.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop. It cannot be stopped by what it reads or by what its dependencies do:
 * <ul>
 *   <li>records are consumed as bytes, so nothing fails before {@link EventDecoder}; a record that is not a valid
 *   event of a known type is dead-lettered at once ({@link DeadLetterSink}) and consumption goes on;</li>
 *   <li>a handler failure pauses that partition only, with a growing pause: an outage ({@link Failures#isTransient})
 *   is waited out for as long as it lasts, any other failure is retried {@code maxAttempts} times and then the event
 *   is dead-lettered;</li>
 *   <li>any failure of the loop itself (a poll, a commit, a rebalance) ends the session, and a new consumer starts a
 *   new one after a pause: the supervisor never exits until closed.</li>
 * </ul>
 * Offsets are committed after their events were handled or dead-lettered, once per poll, so delivery is at least
 * once and handlers are idempotent. A poll's events go to the handler in one call when they can
 * ({@link #handleTogether}), partition by partition otherwise. {@link #status()} feeds readiness.
 */
public final class EventConsumer implements AutoCloseable, InteractiveLane.GroupProgress {

    /** Where the loop is: readiness is DOWN unless RUNNING. */
    public enum State { STARTING, RUNNING, RESTARTING, STOPPED }

    /** What readiness and the admin listing show of a consumer. */
    public record Status(String group, State state, Instant lastPollAt, String lastError) {
    }

    /** How retries go; {@link #DEFAULTS} in production, shorter in tests. */
    public record Policy(int maxAttempts, Duration firstPause, Duration maxPause, Duration poll) {
        public static final Policy DEFAULTS = new Policy(5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMillis(200));

        Duration pauseAfter(int failures) {
            long millis = firstPause.toMillis() << Math.min(failures - 1, 20);
            return Duration.ofMillis(Math.min(millis, maxPause.toMillis()));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

    private final String group;
    private final Collection<String> topics;
    private final EventHandler handler;
    private final DeadLetterSink deadLetters;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final StartCondition startWhen;
    private final Policy policy;
    private final Clock clock;
    private final LagListener lagListener;
    private final ConsumerThread thread;
    private volatile Status status;

    /** Per partition this member holds: the offset after the last record a poll brought it (0: none yet). */
    private final Map<TopicPartition, Long> fetchedUpTo = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per partition this member holds: the offset after the last event it handled or set aside (0: none yet). */
    private final Map<TopicPartition, Long> handledUpTo = new java.util.concurrent.ConcurrentHashMap<>();
    /** When this member began handling the poll it handles now ({@code System.nanoTime}); -1 while it polls. */
    private volatile long handlingSince = -1;

    /**
     * Retries of the event a partition is stuck on: which offset, how often it failed, when to try again. Written by
     * the consumer's thread only; concurrent for {@link #retryingAt}.
     */
    private final Map<TopicPartition, Retry> retries = new java.util.concurrent.ConcurrentHashMap<>();

    private record Retry(long offset, int failures, int countedFailures, Instant resumeAt) {
    }

    /**
     * What a consumer waits for before its first session (the topics to exist, another group to catch up): empty
     * when it may start, else what it waits for, shown in its status. Asked until it first answers empty; a
     * failure to answer is a failure of the loop (logged, retried after a pause).
     */
    @FunctionalInterface
    public interface StartCondition {
        StartCondition NONE = Optional::empty;

        Optional<String> waitingFor();
    }

    /** Told, after each poll, how far behind the group is on each partition it holds. */
    @FunctionalInterface
    public interface LagListener {
        void lag(String group, TopicPartition partition, long records);
    }

    public EventConsumer(String group, Collection<String> topics, EventHandler handler, DeadLetterSink deadLetters,
                         Supplier<Consumer<String, byte[]>> consumers, StartCondition startWhen, Policy policy, Clock clock,
                         LagListener lagListener) {
        this.group = group;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.consumers = consumers;
        this.startWhen = startWhen;
        this.policy = policy;
        this.clock = clock;
        this.lagListener = lagListener;
        this.status = new Status(group, State.STARTING, null, null);
        this.thread = new ConsumerThread("event-consumer-" + group, this::supervise);
    }

    public void start() {
        thread.start();
    }

    public String group() {
        return group;
    }

    public EventHandler handler() {
        return handler;
    }

    public Collection<String> topics() {
        return topics;
    }

    @Override
    public long fetchedUpTo(TopicPartition partition) {
        return fetchedUpTo.getOrDefault(partition, -1L);
    }

    @Override
    public long handledUpTo(TopicPartition partition) {
        return handledUpTo.getOrDefault(partition, -1L);
    }

    @Override
    public long retryingAt(TopicPartition partition) {
        Retry retry = retries.get(partition);
        return retry == null ? -1 : retry.offset();
    }

    @Override
    public Duration handlingFor() {
        long since = handlingSince;
        return since < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    public Status status() {
        Status current = status;
        if (current.state() == State.RUNNING && !thread.alive()) {
            return new Status(group, State.STOPPED, current.lastPollAt(), "the consumer thread ended");
        }
        return current;
    }

    private void supervise() {
        int failures = 0;
        boolean mayStart = false;
        while (thread.running()) {
            try {
                if (!mayStart) {
                    Optional<String> waiting = startWhen.waitingFor();
                    if (waiting.isPresent()) {
                        status = new Status(group, State.STARTING, status.lastPollAt(), "waiting for " + waiting.get());
                        sleep(policy.firstPause().multipliedBy(2));
                        continue;
                    }
                    mayStart = true;
                }
                session();
                failures = 0;
            } catch (WakeupException e) {
                if (!thread.running()) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                failures++;
                Duration pause = policy.pauseAfter(failures);
                status = new Status(group, State.RESTARTING, status.lastPollAt(), e.toString());
                LOG.error("consumer {} failed; a new consumer starts in {} ms", group, pause.toMillis(), e);
                sleep(pause);
            }
        }
        status = new Status(group, State.STOPPED, status.lastPollAt(), null);
    }

    /** One consumer from subscription to close: ends on close, or by throwing on any failure of its own. */
    private void session() {
        retries.clear();
        try (Consumer<String, byte[]> c = consumers.get()) {
            thread.polling(c);
            if (!thread.running()) {
                return;
            }
            c.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(retries::remove);
                    partitions.forEach(fetchedUpTo::remove);
                    partitions.forEach(handledUpTo::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Positions come from the committed offsets; held, nothing fetched or handled yet in this session.
                    partitions.forEach(p -> fetchedUpTo.putIfAbsent(p, 0L));
                    partitions.forEach(p -> handledUpTo.putIfAbsent(p, 0L));
                }
            });
            while (thread.running()) {
                resumeDue(c);
                ConsumerRecords<String, byte[]> records = c.poll(policy.poll());
                status = new Status(group, State.RUNNING, clock.instant(), null);
                for (TopicPartition partition : records.partitions()) {
                    List<ConsumerRecord<String, byte[]>> fetched = records.records(partition);
                    fetchedUpTo.put(partition, fetched.get(fetched.size() - 1).offset() + 1);
                }
                handlingSince = records.isEmpty() ? -1 : System.nanoTime();
                try {
                    Map<TopicPartition, OffsetAndMetadata> done = handleTogether(records);
                    if (done == null) {
                        done = new HashMap<>();
                        for (TopicPartition partition : records.partitions()) {
                            long next = handlePartition(c, partition, records.records(partition));
                            if (next >= 0) {
                                done.put(partition, new OffsetAndMetadata(next));
                            }
                        }
                    }
                    if (!done.isEmpty()) {
                        commit(c, done);
                    }
                } finally {
                    handlingSince = -1;
                }
                for (TopicPartition partition : c.assignment()) {
                    c.currentLag(partition).ifPresent(lag -> lagListener.lag(group, partition, lag));
                }
            }
        } finally {
            thread.polling(null);
            fetchedUpTo.clear();
            handledUpTo.clear();
        }
    }

    /**
     * Hands the whole poll, every partition's events in their order, to the handler in one call, so that a handler
     * working once per batch (one read and one write per question) does so once per poll instead of once per
     * partition. Returns the offsets to commit, or null when the poll is to be handled partition by partition: a
     * single partition, a partition being retried, a record that does not decode, or the handler failing. After a
     * failure the per-partition path handles the poll again and finds the event that fails; what the handler wrote
     * before failing is harmless, handlers being idempotent.
     */
    private Map<TopicPartition, OffsetAndMetadata> handleTogether(ConsumerRecords<String, byte[]> records) {
        if (records.partitions().size() < 2 || records.partitions().stream().anyMatch(retries::containsKey)) {
            return null;
        }
        List<IncomingEvent> events = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            for (ConsumerRecord<String, byte[]> record : inPartition) {
                try {
                    events.add(EventDecoder.decode(record));
                } catch (UndecodableEvent e) {
                    return null;
                }
            }
            done.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        try {
            handler.handleAll(events);
            return done;
        } catch (RuntimeException e) {
            LOG.debug("consumer {}: the poll failed as a whole ({}); handling it partition by partition", group, e.toString());
            return null;
        }
    }

    private void commit(Consumer<String, byte[]> c, Map<TopicPartition, OffsetAndMetadata> done) {
        done.forEach((partition, offset) -> handledUpTo.merge(partition, offset.offset(), Math::max));
        try {
            c.commitSync(done);
        } catch (KafkaException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            // A rebalance took the partitions: their new owner handles the events again (handlers are idempotent).
            LOG.warn("consumer {} could not commit {} ({}); the events will be handled again", group, done.keySet(), e.toString());
        }
    }

    /** How far a partition got: the offset after the last event done (-1 for none), and whether all were done. */
    private record Progress(long next, boolean complete) {
    }

    /**
     * Handles a partition's records in order. Returns the offset to commit (the first not yet done), or -1 when none
     * was done. When an event must be retried, the partition is rewound to it and paused.
     */
    long handlePartition(Consumer<String, byte[]> c, TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        long committable = -1;
        List<ConsumerRecord<String, byte[]>> raw = new ArrayList<>();
        List<IncomingEvent> run = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            IncomingEvent event;
            try {
                event = EventDecoder.decode(record);
            } catch (UndecodableEvent e) {
                Progress progress = handleRun(c, partition, raw, run);
                committable = Math.max(committable, progress.next());
                if (!progress.complete()) {
                    return committable;
                }
                raw.clear();
                run.clear();
                if (!setAside(c, partition, record, Reason.valueOf(e.reason().name()), e.getMessage(), 0)) {
                    return committable;
                }
                committable = record.offset() + 1;
                continue;
            }
            raw.add(record);
            run.add(event);
        }
        return Math.max(committable, handleRun(c, partition, raw, run).next());
    }

    /** Handles a run of decoded events, finding the one that fails when the run as a whole does. */
    private Progress handleRun(Consumer<String, byte[]> c, TopicPartition partition, List<ConsumerRecord<String, byte[]>> raw,
                               List<IncomingEvent> run) {
        if (run.isEmpty()) {
            return new Progress(-1, true);
        }
        // After a failure on this partition, go one event at a time until the one that failed is behind us.
        if (!retries.containsKey(partition)) {
            try {
                handler.handleAll(List.copyOf(run));
                return new Progress(raw.get(raw.size() - 1).offset() + 1, true);
            } catch (RuntimeException batchFailure) {
                if (run.size() == 1 || Failures.isTransient(batchFailure)) {
                    boolean setAside = failed(c, partition, raw.get(0), batchFailure);
                    return setAside && run.size() == 1 ? new Progress(raw.get(0).offset() + 1, true) : new Progress(-1, false);
                }
            }
        }
        // Find the event that fails: the ones before it are done, it is retried or set aside, the rest wait for it.
        long done = -1;
        for (int i = 0; i < run.size(); i++) {
            try {
                handler.handleAll(List.of(run.get(i)));
                done = raw.get(i).offset() + 1;
            } catch (RuntimeException failure) {
                if (!failed(c, partition, raw.get(i), failure)) {
                    return new Progress(done, false);
                }
                done = raw.get(i).offset() + 1;
            }
        }
        retries.remove(partition);
        return new Progress(done, true);
    }

    /**
     * A handler failed on {@code record}. Returns true when the record was set aside (dead-lettered) and the partition
     * goes on; false when it will be retried (the partition is rewound to it and paused).
     */
    private boolean failed(Consumer<String, byte[]> c, TopicPartition partition, ConsumerRecord<String, byte[]> record, RuntimeException failure) {
        Retry previous = retries.get(partition);
        boolean same = previous != null && previous.offset() == record.offset();
        if (failure instanceof TransientFailure.Backpressure) {
            LOG.debug("{}-{}@{} waits: {}", record.topic(), record.partition(), record.offset(), failure.getMessage());
            retries.put(partition, new Retry(record.offset(), same ? previous.failures() : 0, same ? previous.countedFailures() : 0,
                    clock.instant().plus(policy.firstPause().dividedBy(2))));
            c.seek(partition, record.offset());
            c.pause(List.of(partition));
            return false;
        }
        int failures = same ? previous.failures() + 1 : 1;
        boolean outage = Failures.isTransient(failure);
        int counted = (same ? previous.countedFailures() : 0) + (outage ? 0 : 1);
        if (!outage && counted >= policy.maxAttempts()) {
            LOG.error("{}-{}@{} failed {} times in consumer {}; setting it aside", record.topic(), record.partition(), record.offset(),
                    counted, group, failure);
            retries.remove(partition);
            return setAside(c, partition, record, Reason.HANDLER_FAILED, failure.toString(), counted);
        }
        Duration pause = policy.pauseAfter(failures);
        LOG.warn("{}-{}@{} failed in consumer {} ({}{}); retrying in {} ms", record.topic(), record.partition(), record.offset(), group,
                failure, outage ? ", waiting out an outage" : ", attempt " + counted + " of " + policy.maxAttempts(), pause.toMillis());
        retries.put(partition, new Retry(record.offset(), failures, counted, clock.instant().plus(pause)));
        c.seek(partition, record.offset());
        c.pause(List.of(partition));
        return false;
    }

    /** Dead-letters a record; false when even that failed (an outage), so the partition waits and tries again. */
    private boolean setAside(Consumer<String, byte[]> c, TopicPartition partition, ConsumerRecord<String, byte[]> record,
                             Reason reason, String error, int attempts) {
        try {
            deadLetters.record(group, record, reason, error, attempts);
            LOG.error("{}-{}@{} dead-lettered by consumer {} ({}): {}", record.topic(), record.partition(), record.offset(), group, reason, error);
            return true;
        } catch (RuntimeException e) {
            Retry previous = retries.get(partition);
            int failures = previous == null ? 1 : previous.failures() + 1;
            Duration pause = policy.pauseAfter(failures);
            LOG.warn("could not dead-letter {}-{}@{} ({}); retrying in {} ms", record.topic(), record.partition(), record.offset(), e, pause.toMillis());
            retries.put(partition, new Retry(record.offset(), failures, previous == null ? 0 : previous.countedFailures(),
                    clock.instant().plus(pause)));
            c.seek(partition, record.offset());
            c.pause(List.of(partition));
            return false;
        }
    }

    private void resumeDue(Consumer<String, byte[]> c) {
        Instant now = clock.instant();
        List<TopicPartition> due = new ArrayList<>();
        for (Iterator<Map.Entry<TopicPartition, Retry>> it = retries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Retry> entry = it.next();
            if (!entry.getValue().resumeAt().isAfter(now)) {
                due.add(entry.getKey());
            }
        }
        due.retainAll(c.assignment());
        if (!due.isEmpty()) {
            c.resume(due);
        }
    }

    /** Pauses the supervisor; {@link #close} ends the pause at once. */
    private void sleep(Duration duration) {
        thread.pause(duration);
    }

    @Override
    public void close() {
        thread.close();
    }
}
