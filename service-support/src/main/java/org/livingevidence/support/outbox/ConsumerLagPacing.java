package org.livingevidence.support.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces bulk documents by a downstream consumer group's lag on one topic: the relay may publish as many as keep the
 * group's unconsumed events (end offsets minus committed offsets) under {@code maxLag}. Pacing must never become an
 * outage: a group that commits nothing for {@code stalledAfter} while it lags (stopped, crashed, rebalancing for
 * long), a group with no offsets, and a lag that cannot be read (broker away, no permission) all leave bulk documents
 * unpaced, as before pacing existed, and the relay's own retries deal with the broker.
 */
public final class ConsumerLagPacing implements BulkPacing {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagPacing.class);
    private static final long TIMEOUT_MILLIS = 2_000;

    private final Admin admin;
    private final String group;
    private final String topic;
    private final long maxLag;
    private final Duration stalledAfter;
    private final Clock clock;
    private long committedSum = -1;
    private long committedChangedAt;
    private boolean stallReported;
    private long failureReportedAt = Long.MIN_VALUE;

    public ConsumerLagPacing(Admin admin, String group, String topic, long maxLag, Duration stalledAfter, Clock clock) {
        if (maxLag < 1) {
            throw new IllegalArgumentException("the bulk pacing's max lag must be at least 1, was " + maxLag);
        }
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.maxLag = maxLag;
        this.stalledAfter = stalledAfter;
        this.clock = clock;
        this.committedChangedAt = clock.millis();
    }

    @Override
    public synchronized int allowance() {
        Map<TopicPartition, OffsetAndMetadata> committed;
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
        try {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            if (committed.isEmpty()) {
                return Integer.MAX_VALUE;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            ends = admin.listOffsets(latest).all().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Integer.MAX_VALUE;
        } catch (Exception e) {
            long now = clock.millis();
            if (now - failureReportedAt > Duration.ofMinutes(1).toMillis()) {
                failureReportedAt = now;
                LOG.warn("cannot read consumer group {}'s lag on {} ({}); bulk events are not paced meanwhile", group, topic, e.toString());
            }
            return Integer.MAX_VALUE;
        }
        return allowance(lag(committed, ends.keySet(), p -> ends.get(p).offset()), sum(committed.values()));
    }

    /** The allowance for this lag, unless the group has stopped committing. */
    int allowance(long lag, long committedNow) {
        long now = clock.millis();
        if (committedNow != committedSum) {
            committedSum = committedNow;
            committedChangedAt = now;
            if (stallReported) {
                LOG.info("consumer group {} is consuming {} again; bulk events are paced by its lag", group, topic);
                stallReported = false;
            }
        }
        if (lag >= maxLag && now - committedChangedAt > stalledAfter.toMillis()) {
            if (!stallReported) {
                LOG.warn("consumer group {} has committed nothing on {} for {} while {} events wait; bulk events are not paced until it moves",
                        group, topic, stalledAfter, lag);
                stallReported = true;
            }
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(0, maxLag - lag);
    }

    private static long lag(Map<TopicPartition, OffsetAndMetadata> committed, Set<TopicPartition> partitions,
                            java.util.function.ToLongFunction<TopicPartition> end) {
        long lag = 0;
        for (TopicPartition p : partitions) {
            lag += Math.max(0, end.applyAsLong(p) - committed.get(p).offset());
        }
        return lag;
    }

    private static long sum(java.util.Collection<OffsetAndMetadata> offsets) {
        return offsets.stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
