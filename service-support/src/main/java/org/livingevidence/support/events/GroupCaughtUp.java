package org.livingevidence.support.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Met once consumer group {@code group} has committed, on every partition of its topics, at least the end offset
 * the partition had when this condition was first asked: everything published on them before then has been
 * consumed by that group, whichever of its members holds the partition. A partition the group never committed on
 * counts from the first offset still kept (so one emptied by retention is caught up). Until then it names what it
 * waits for, including when the offsets cannot be read (the broker away: asked again later). One admin client serves
 * the checks until the condition is met (or a check fails: the next one opens another), so it can be asked often.
 */
public final class GroupCaughtUp implements EventConsumer.StartCondition, AutoCloseable {

    private static final int TIMEOUT_SECONDS = 10;

    private final Supplier<Admin> admins;
    private final String group;
    private final List<String> topics;
    private Map<TopicPartition, Long> target;
    private Admin admin;
    private boolean closed;
    private volatile boolean met;

    GroupCaughtUp(Supplier<Admin> admins, String group, List<String> topics) {
        this.admins = admins;
        this.group = group;
        this.topics = List.copyOf(topics);
    }

    /** The condition on the service's cluster (bounded timeouts). */
    public static GroupCaughtUp on(KafkaSettings kafka, String group, List<String> topics) {
        return new GroupCaughtUp(() -> {
            Map<String, Object> config = kafka.clientConfig();
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1_000);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            return Admin.create(config);
        }, group, topics);
    }

    @Override
    public synchronized Optional<String> waitingFor() {
        if (met) {
            return Optional.empty();
        }
        if (closed) {
            return waiting("(no longer asked: closed)");
        }
        try {
            if (admin == null) {
                admin = admins.get();
            }
            if (target == null) {
                target = offsets(admin, OffsetSpec.latest());
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, Long> kept = offsets(admin, OffsetSpec.earliest());
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                long from = done != null ? done.offset() : kept.getOrDefault(end.getKey(), 0L);
                behind += Math.max(0, end.getValue() - from);
            }
            if (behind == 0) {
                met = true;
                closeAdmin();
                return Optional.empty();
            }
            return waiting("up to where it ended at start (" + behind + " events left)");
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            closeAdmin();
            return waiting("(its offsets cannot be read: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAdmin();
            return waiting("(interrupted)");
        }
    }

    /** What this condition waits for, and why it is not met yet. */
    private Optional<String> waiting(String why) {
        return Optional.of("group " + group + " to consume " + String.join(", ", topics) + " " + why);
    }

    /** Closes the admin client, if one is open; later checks answer that the condition was closed. */
    @Override
    public synchronized void close() {
        closed = true;
        closeAdmin();
    }

    /** Closes the admin client, if one is open: the next check opens another. */
    private void closeAdmin() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }

    private Map<TopicPartition, Long> offsets(Admin admin, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((topic, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), spec)));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
            offsets.put(e.getKey(), e.getValue().offset());
        }
        return offsets;
    }
}
