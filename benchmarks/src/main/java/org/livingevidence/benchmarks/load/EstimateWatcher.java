package org.livingevidence.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.livingevidence.contracts.Topics;

/**
 * Reads {@code evidence.pooled-estimates.v1} from its end, as an integrator would, and notes when each question's
 * estimate reached a number of studies and when each record first appeared in an estimate's triggers. It also reads
 * {@code evidence.outcome-records.v1}, so that a record's time can be split into its stages (see {@link Stages}).
 */
final class EstimateWatcher implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Map<String, Integer> largestK = new ConcurrentHashMap<>();
    private final Map<String, Long> kReachedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> recordSeenAt = new ConcurrentHashMap<>();
    /**
     * Per record id, wall-clock millis: on the records topic (the producer's timestamp), estimate computed, estimate
     * sent, estimate read here.
     */
    private final Map<String, long[]> stages = new ConcurrentHashMap<>();
    private volatile long lastEstimateAt;
    private volatile long estimates;
    private volatile boolean running = true;

    EstimateWatcher(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = java.util.stream.Stream.of(Topics.POOLED_ESTIMATES, Topics.OUTCOME_RECORDS)
                .flatMap(topic -> consumer.partitionsFor(topic).stream())
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::run, "estimate-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                long now = System.nanoTime();
                long nowMillis = System.currentTimeMillis();
                try {
                    if (record.topic().equals(Topics.OUTCOME_RECORDS)) {
                        String id = Stack.JSON.readTree(record.value()).path("recordId").asText();
                        stages.computeIfAbsent(id, i -> new long[4])[0] = record.timestamp();
                        continue;
                    }
                    JsonNode estimate = Stack.JSON.readTree(record.value());
                    long computed = java.time.Instant.parse(estimate.path("computedAt").asText()).toEpochMilli();
                    String question = estimate.path("questionId").asText();
                    int k = estimate.path("k").asInt();
                    JsonNode triggers = estimate.path("triggers").isArray() ? estimate.path("triggers")
                            : Stack.JSON.createArrayNode().add(estimate.path("trigger"));
                    triggers.forEach(t -> {
                        long[] times = stages.computeIfAbsent(t.path("id").asText(), i -> new long[4]);
                        if (times[1] == 0) {
                            times[1] = computed;
                            times[2] = record.timestamp();
                            times[3] = nowMillis;
                        }
                        // Published last: a reader that sees the record as seen then sees its stages too.
                        recordSeenAt.putIfAbsent(t.path("id").asText(), now);
                    });
                    kReachedAt.merge(question + "#" + k, now, Math::min);
                    // After when k was reached: a reader that sees k (await, then reachedAt) must find when. Set first,
                    // a 5,000-trigger estimate left the reader milliseconds to find k reached and no time for it.
                    largestK.merge(question, k, Math::max);
                    lastEstimateAt = now;
                    estimates++;
                } catch (java.io.IOException e) {
                    // Not ours to judge: count only what parses.
                }
            }
        }
        consumer.close();
    }

    /** When a record first appeared among an estimate's triggers (System.nanoTime), or null. */
    Long seen(String recordId) {
        return recordSeenAt.get(recordId);
    }

    /**
     * Where a record's time went, wall-clock millis from {@code sentAtMillis}: until its event was on the records topic
     * (study-service's write and outbox relay), until its estimate was computed (the topic's backlog and
     * analysis-service), until the estimate was on its topic (analysis-service's outbox relay), until this driver read
     * it (the broker, and the driver's own consumer). Null when not seen.
     */
    record Stages(long relayed, long computed, long published, long read) {
    }

    Stages stages(String recordId, long sentAtMillis) {
        long[] times = stages.get(recordId);
        if (times == null || times[0] == 0 || times[1] == 0) {
            return null;
        }
        return new Stages(times[0] - sentAtMillis, times[1] - times[0], times[2] - times[1], times[3] - times[2]);
    }

    /** When the question's estimate first counted at least {@code k} studies (System.nanoTime). */
    long reachedAt(String questionId, int k) {
        return kReachedAt.entrySet().stream()
                .filter(e -> e.getKey().startsWith(questionId + "#") && Integer.parseInt(e.getKey().substring(questionId.length() + 1)) >= k)
                .mapToLong(Map.Entry::getValue).min().orElseThrow();
    }

    /** When each question's estimate first counted each number of studies, in order: "seconds question#k". */
    List<String> timeline(long start) {
        return kReachedAt.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(e -> String.format(java.util.Locale.ROOT, "%.3f %s", (e.getValue() - start) / 1e9, e.getKey())).toList();
    }

    int k(String questionId) {
        return largestK.getOrDefault(questionId, 0);
    }

    long estimates() {
        return estimates;
    }

    long lastEstimateAt() {
        return lastEstimateAt;
    }

    /** Waits until {@code done} holds, looking every 20 ms, or throws after {@code timeout}. */
    static void await(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
        await(done, timeout, what, Duration.ofMillis(20));
    }

    /** Waits until {@code done} holds, looking every {@code every}, or throws after {@code timeout}. */
    static void await(BooleanSupplier done, Duration timeout, String what, Duration every) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(every.toMillis());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
