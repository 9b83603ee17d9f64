package org.livingevidence.support.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces bulk documents by a downstream consumer group's lag on one topic: the relay may publish as many as keep the
 * group's unconsumed events (end offsets minus committed offsets) under {@code maxLag}. Each relay instance paces on
 * its own, so with n instances the bound is n times {@code maxLag}. For {@code personWindow} after a person's write on
 * this instance ({@link #personWrote}), the bound is {@code personMaxLag} instead: a curator at work then waits behind
 * that many of an import's events in the topic at most, and the import goes slower meanwhile.
 *
 * <p>Pacing must never become an outage. A partition whose committed offset has not moved for {@code stalledAfter}
 * while events wait on it (its consumer stopped, or is held on that partition by a failure) does not count: the
 * other partitions still pace, and if every lagging partition has stalled nothing is paced. A group with no offsets
 * on the topic (a wrong group name, no permission to describe the topic, a group not yet started) and a lag that
 * cannot be read (broker away, no permission on the group) leave bulk documents unpaced, as before pacing existed;
 * both are logged (at most once a minute) and shown in {@code evidence_outbox_bulk_pacing_state}.
 */
public final class ConsumerLagPacing implements BulkPacing {

    /** What the last reading found, as the gauge reports it. */
    enum State { PACED, STALLED, NO_OFFSETS, UNREADABLE }

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagPacing.class);
    private static final int TIMEOUT_MILLIS = 2_000;
    private static final long REPORT_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();

    private final Admin admin;
    private final String group;
    private final String topic;
    private final long maxLag;
    private final long personMaxLag;
    private final long personWindowMillis;
    /** When a person last wrote, if ever. */
    private volatile long personWroteAt;
    private volatile boolean personWroteOnce;
    private final Duration stalledAfter;
    private final Clock clock;
    /** Per partition: the committed offset last seen, and since when. */
    private final Map<TopicPartition, long[]> lastMoved = new HashMap<>();
    private final Map<TopicPartition, Boolean> reportedStalled = new HashMap<>();
    private boolean reportedOnce;
    private long reportedAt;
    private volatile State state = State.PACED;
    private volatile long lastLag;
    private volatile long lastAllowance;

    public ConsumerLagPacing(Admin admin, String group, String topic, long maxLag, Duration stalledAfter, Clock clock) {
        this(admin, group, topic, maxLag, maxLag, Duration.ZERO, stalledAfter, clock);
    }

    public ConsumerLagPacing(Admin admin, String group, String topic, long maxLag, long personMaxLag, Duration personWindow,
                             Duration stalledAfter, Clock clock) {
        if (maxLag < 1 || personMaxLag < 1) {
            throw new IllegalArgumentException("the bulk pacing's max lags must be at least 1, were " + maxLag + " and " + personMaxLag);
        }
        this.personMaxLag = personMaxLag;
        this.personWindowMillis = personWindow.toMillis();
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.maxLag = maxLag;
        this.stalledAfter = stalledAfter;
        this.clock = clock;
    }

    /** Gauges: the state of the last reading, the lag it counted, and the allowance it gave. */
    public ConsumerLagPacing measuredBy(MeterRegistry registry) {
        for (State s : State.values()) {
            Gauge.builder("evidence.outbox.bulk.pacing.state", this, p -> p.state == s ? 1 : 0).tag("state", s.name())
                    .description("1 for the state of the bulk lane's pacing at the last relay pass").register(registry);
        }
        Gauge.builder("evidence.outbox.bulk.pacing.lag", this, p -> p.lastLag)
                .description("unconsumed events of the pacing group counted at the last relay pass").register(registry);
        Gauge.builder("evidence.outbox.bulk.pacing.allowance", this, p -> p.lastAllowance)
                .description("bulk documents the last relay pass with bulk documents waiting could publish").register(registry);
        return this;
    }

    @Override
    public void personWrote() {
        personWroteAt = clock.millis();
        personWroteOnce = true;
    }

    /** The bound now: the tighter one while a person's write is recent. */
    private long bound(long now) {
        return personWroteOnce && now - personWroteAt < personWindowMillis ? Math.min(maxLag, personMaxLag) : maxLag;
    }

    @Override
    public synchronized int allowance() {
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        try {
            admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().timeoutMs(TIMEOUT_MILLIS))
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .forEach((partition, offset) -> {
                        if (partition.topic().equals(topic) && offset != null) {
                            committed.put(partition, offset.offset());
                        }
                    });
            if (committed.isEmpty()) {
                return unpaced(State.NO_OFFSETS, "consumer group {} has no offsets on {} (a wrong group name, no permission to "
                        + "describe the topic, or the group has not started); bulk events are not paced", null);
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(TIMEOUT_MILLIS)).all()
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Integer.MAX_VALUE;
        } catch (Exception e) {
            return unpaced(State.UNREADABLE, "cannot read consumer group {}'s lag on {} ({}); bulk events are not paced meanwhile", e);
        }
        return allowance(committed, ends);
    }

    /** The allowance for these committed and end offsets, leaving out the partitions that have stalled. */
    synchronized int allowance(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        long now = clock.millis();
        long lag = 0;
        boolean lagging = false;
        boolean moving = false;
        for (Map.Entry<TopicPartition, Long> c : committed.entrySet()) {
            TopicPartition partition = c.getKey();
            long offset = c.getValue();
            long[] moved = lastMoved.get(partition);
            if (moved == null || moved[0] != offset) {
                lastMoved.put(partition, new long[] {offset, now});
                moved = lastMoved.get(partition);
                if (Boolean.TRUE.equals(reportedStalled.remove(partition))) {
                    LOG.info("consumer group {} is consuming {} again; it paces bulk events again", group, partition);
                }
            }
            long behind = Math.max(0, ends.getOrDefault(partition, offset) - offset);
            if (behind == 0) {
                continue;
            }
            lagging = true;
            if (now - moved[1] > stalledAfter.toMillis()) {
                if (reportedStalled.put(partition, Boolean.TRUE) == null) {
                    LOG.warn("consumer group {} has committed nothing on {} for {} while {} events wait there; that partition "
                            + "no longer paces bulk events until it moves", group, partition, stalledAfter, behind);
                }
                continue;
            }
            moving = true;
            lag += behind;
        }
        if (lagging && !moving) {
            state = State.STALLED;
            lastLag = lag;
            lastAllowance = Integer.MAX_VALUE;
            return Integer.MAX_VALUE;
        }
        state = State.PACED;
        lastLag = lag;
        // A bound beyond an int (an operator's "never pace") allows all an int holds, rather than wrapping negative.
        lastAllowance = Math.min(Integer.MAX_VALUE, Math.max(0, bound(now) - lag));
        return (int) lastAllowance;
    }

    private int unpaced(State why, String message, Exception failure) {
        state = why;
        lastAllowance = Integer.MAX_VALUE;
        long now = clock.millis();
        if (!reportedOnce || now - reportedAt >= REPORT_EVERY_MILLIS) {
            reportedOnce = true;
            reportedAt = now;
            if (failure == null) {
                LOG.warn(message, group, topic);
            } else {
                LOG.warn(message, group, topic, failure.toString());
            }
        }
        return Integer.MAX_VALUE;
    }

    State state() {
        return state;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
