package org.livingevidence.endtoend;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;

/**
 * How long the survivors take to own what killed instances owned: for every consumer group with two members
 * (event consumers and outbox relays alike), the time from the kill until the group is stable again with one member
 * holding every partition the two held before. Measured through the broker's own view of the groups.
 */
final class TakeoverWatch {

    private record Group(String id, int partitions) {
    }

    private final String bootstrapServers;
    private final List<Group> watched;

    private TakeoverWatch(String bootstrapServers, List<Group> watched) {
        this.bootstrapServers = bootstrapServers;
        this.watched = watched;
    }

    /** The groups that have exactly two members now, each with the partitions they hold between them. */
    static TakeoverWatch ofGroupsWithTwoMembers(String bootstrapServers) {
        try (Admin admin = admin(bootstrapServers)) {
            List<Group> groups = describe(admin).values().stream()
                    .filter(d -> d.state() == ConsumerGroupState.STABLE && d.members().size() == 2)
                    .map(d -> new Group(d.groupId(), assigned(d)))
                    .filter(g -> g.partitions() > 0)
                    .sorted(java.util.Comparator.comparing(Group::id))
                    .toList();
            return new TakeoverWatch(bootstrapServers, groups);
        }
    }

    /** Starts timing now (call it just before the kills); completes with seconds per group once each is taken over. */
    CompletableFuture<Map<String, Double>> start() {
        long started = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Double> tookOver = new HashMap<>();
            try (Admin admin = admin(bootstrapServers)) {
                long deadline = started + TimeUnit.SECONDS.toNanos(120);
                while (tookOver.size() < watched.size() && System.nanoTime() < deadline) {
                    Map<String, ConsumerGroupDescription> now = describe(admin);
                    for (Group group : watched) {
                        ConsumerGroupDescription d = now.get(group.id());
                        if (!tookOver.containsKey(group.id()) && d != null && d.state() == ConsumerGroupState.STABLE
                                && d.members().size() == 1 && assigned(d) == group.partitions()) {
                            tookOver.put(group.id(), (System.nanoTime() - started) / 1e9);
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return tookOver;
        });
    }

    List<String> groups() {
        return watched.stream().map(Group::id).toList();
    }

    private static int assigned(ConsumerGroupDescription d) {
        return d.members().stream().map(MemberDescription::assignment).mapToInt(a -> a.topicPartitions().size()).sum();
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    private static Map<String, ConsumerGroupDescription> describe(Admin admin) {
        try {
            List<String> ids = admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId).toList();
            return admin.describeConsumerGroups(ids).all().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
