package org.livingevidence.benchmarks.load;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.livingevidence.contracts.Topics;
import org.livingevidence.infrastructure.launch.ServiceProcess;

/**
 * Issue 13's replay figure: a new analysis-service with an empty database ({@code --mongo}, database
 * {@code replay_<run>}) and a new consumer group rebuilds every projection from the topics. Prints the events on
 * {@code evidence.questions.v1} and {@code evidence.outcome-records.v1} and how fast it consumed them, from the moment
 * it was alive (its HTTP server up; readiness waits for the rebuild) until its consumer lag was zero and its rebuild
 * had ended ({@code evidence_analysis_rebuilding} 0). Its database being empty, it reads the estimate topic into its
 * history beside the replay (each question's numbering continues from there), and that time counts, as does the end of its rebuild
 * (an estimate for each question whose latest published one no longer matches: none on a stack that had caught up).
 * Run it on a scratch stack: it adds a consumer group, and a database it drops when done. {@code --root} is the repository (the service
 * runs from its build).
 */
final class Replay implements Scenario {

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        String run = arguments.get("run", Long.toString(System.currentTimeMillis(), 36));
        long events = eventsIn(stack.kafka(), List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String mongo = arguments.get("mongo", "mongodb://localhost:27017");
        String database = "replay_" + run;
        Map<String, String> properties = Map.of("kafka.bootstrap.servers", stack.kafka(),
                "mongodb.uri", mongo,
                "evidence.mongodb.database", database, "kafka.consumer-group", "analysis-replay-" + run,
                "evidence.security.bootstrap.api-key", stack.apiKey(), "evidence.security.bootstrap.name", "replay",
                "evidence.secrets.keys", System.getenv().getOrDefault("EVIDENCE_SECRETS_KEYS", "local:bG9jYWwtc3RhY2stZGV2ZWxvcG1lbnQtb25seS1rZXk="));
        long start = System.nanoTime();
        // Alive, not ready: a rebuilding instance is not ready until its rebuild has ended, which is what is timed.
        try (ServiceProcess replica = ServiceProcess.startAlive(Path.of(arguments.get("root", ".")), ServiceProcess.Service.ANALYSIS, port,
                properties, Path.of(arguments.get("log", "target/replay-analysis-service.log")))) {
            long alive = System.nanoTime();
            // Every 100 ms: each look is a scrape of the replica's metrics, whose outbox gauges query MongoDB; looked
            // at every 20 ms, the scrapes took 6-7% of the replica's CPU samples during the replay they time.
            EstimateWatcher.await(() -> caughtUp(stack, replica.baseUrl()), Duration.ofMinutes(20), "the replica's lag to reach 0",
                    Duration.ofMillis(100));
            long done = System.nanoTime();
            System.out.printf("replay of %,d events into an empty analysis-service: %.1f s from alive (%,.0f events/s), %.1f s from process start%n",
                    events, (done - alive) / 1e9, events / ((done - alive) / 1e9), (done - start) / 1e9);
        } finally {
            // The embedded server holds every database in its heap: replays that kept theirs would fill it.
            try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(mongo)) {
                client.getDatabase(database).drop();
            }
        }
    }

    private static long eventsIn(String bootstrap, List<String> topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            long begin = consumer.beginningOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            return end - begin;
        }
    }

    /**
     * Whether the replica's consumer reports every partition of both topics, each with nothing left to read, and its
     * rebuild has ended.
     */
    private static boolean caughtUp(Stack stack, String baseUrl) {
        try {
            HttpResponse<String> metrics = stack.http().send(HttpRequest.newBuilder(URI.create(baseUrl + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> lags = metrics.body().lines().filter(l -> l.startsWith("evidence_consumer_lag{")).toList();
            boolean rebuilt = metrics.body().lines().anyMatch(l -> l.startsWith("evidence_analysis_rebuilding ") && l.endsWith(" 0.0"));
            return rebuilt && lags.size() >= 2 * Topics.PARTITIONS
                    && lags.stream().allMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == 0);
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
