package org.livingevidence.infrastructure.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.livingevidence.infrastructure.launch.EmbeddedKafka;
import org.livingevidence.infrastructure.launch.EmbeddedMongo;
import org.livingevidence.infrastructure.launch.ServiceProcess;
import org.livingevidence.infrastructure.launch.ServiceProcess.Service;

/**
 * The whole system on this machine, on the embedded default: a real Kafka broker, a MongoDB wire-protocol server
 * with its data on disk, the three services and the web console, all as child processes. Loads the sample data on the first run
 * and prints where everything is. Data lives in {@code .local-stack/} and survives a restart; Ctrl-C stops it all.
 *
 * <p>Ports: {@code EVIDENCE_KAFKA_PORT} (9092), {@code EVIDENCE_MONGODB_PORT} (27017), {@code STUDY_SERVICE_PORT}
 * (8081), {@code ANALYSIS_SERVICE_PORT} (8082), {@code NOTIFY_SERVICE_PORT} (8083), {@code CONSOLE_PORT} (8080).
 */
public final class LocalStack {

    private LocalStack() {
    }

    /**
     * The first curator of a local run (all roles), unless EVIDENCE_SECURITY_BOOTSTRAP_API_KEY says otherwise.
     * Fine for a laptop; a deployment sets its own secret.
     */
    static final String LOCAL_ADMIN_API_KEY = "lek_local-admin-key-for-development-only";
    /** Encrypts secrets at rest on a laptop (webhook signing secrets); a deployment sets EVIDENCE_SECRETS_KEYS itself. */
    static final String LOCAL_SECRETS_KEYS = "local:bG9jYWwtc3RhY2stZGV2ZWxvcG1lbnQtb25seS1rZXk=";

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path data = root.resolve(".local-stack");
        Path logs = data.resolve("logs");
        Files.createDirectories(logs);
        int kafkaPort = port("EVIDENCE_KAFKA_PORT", 9092);
        int mongoPort = port("EVIDENCE_MONGODB_PORT", 27017);
        int studyPort = port("STUDY_SERVICE_PORT", 8081);
        int analysisPort = port("ANALYSIS_SERVICE_PORT", 8082);
        int notifyPort = port("NOTIFY_SERVICE_PORT", 8083);
        int consolePort = port("CONSOLE_PORT", 8080);

        List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
        // Ctrl-C reaches the child JVMs too, and they stop before this one: the watch below must not report that.
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            stopAll(started);
        }, "local-stack-shutdown"));

        // EVIDENCE_LOCAL_MONGO=memory keeps MongoDB's data in memory (lost on stop; several times faster than the H2
        // file store, which is what bounds the local stack's throughput: see docs/performance.md).
        boolean inMemory = "memory".equalsIgnoreCase(System.getenv("EVIDENCE_LOCAL_MONGO"));
        say("starting MongoDB wire server (" + (inMemory ? "data in memory, lost on stop" : "data in " + root.relativize(data.resolve("mongo"))) + ") ...");
        EmbeddedMongo mongo = EmbeddedMongo.start(mongoPort, inMemory ? null : data.resolve("mongo/registry.mv"), logs.resolve("mongodb.log"));
        started.add(mongo);
        say("starting Kafka broker (KRaft) ...");
        EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), kafkaPort, logs.resolve("kafka.log"));
        started.add(kafka);

        String adminKey = System.getenv().getOrDefault("EVIDENCE_SECURITY_BOOTSTRAP_API_KEY", LOCAL_ADMIN_API_KEY);
        Map<String, String> common = Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "mongodb.uri", mongo.connectionString(), "evidence.security.bootstrap.api-key", adminKey,
                "evidence.security.bootstrap.name", "local-admin",
                "evidence.secrets.keys", System.getenv().getOrDefault("EVIDENCE_SECRETS_KEYS", LOCAL_SECRETS_KEYS));
        say("starting study-service, analysis-service and notify-service ...");
        ServiceProcess study = ServiceProcess.start(root, Service.STUDY, studyPort, common, logs.resolve("study-service.log"));
        started.add(study);
        ServiceProcess analysis = ServiceProcess.start(root, Service.ANALYSIS, analysisPort, common, logs.resolve("analysis-service.log"));
        started.add(analysis);
        Map<String, String> notifyProperties = new java.util.HashMap<>(common);
        notifyProperties.put("evidence.links.analysis-base-url", analysis.baseUrl());
        notifyProperties.put("evidence.links.study-base-url", study.baseUrl());
        notifyProperties.put("evidence.links.notify-base-url", "http://localhost:" + notifyPort);
        notifyProperties.put("evidence.links.console-base-url", "http://localhost:" + consolePort);
        // On a laptop, webhook receivers usually run on the same machine.
        notifyProperties.put("evidence.delivery.allowed-address-kinds", "LOOPBACK");
        ServiceProcess notify = ServiceProcess.start(root, Service.NOTIFY, notifyPort, notifyProperties, logs.resolve("notify-service.log"));
        started.add(notify);
        say("starting the console ...");
        ServiceProcess console = ServiceProcess.start(root, Service.CONSOLE, consolePort, Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(), "evidence.console.study-url", study.baseUrl(),
                "evidence.console.analysis-url", analysis.baseUrl(), "evidence.console.notify-url", notify.baseUrl()),
                logs.resolve("console.log"));
        started.add(console);

        // Every start: loading is idempotent (each entry has its own Idempotency-Key), so entries already there,
        // and whatever curators did to them since, stay as they are, while entries added to the file arrive.
        int records = SampleData.load(root.resolve("sample-data/seed-studies.json"), study.baseUrl(), adminKey).size();
        say("sample data in place (" + records + " outcome records from the seed abstracts; existing entries left as they are)");

        System.out.printf("""

                Living evidence registry is running (Ctrl-C stops it; data stays in .local-stack/):
                  console           %s/   (sign in with %s)
                  study-service     %s/api/v1/questions
                  analysis-service  %s/api/v1/questions/{questionId}/estimate
                  notify-service    %s/api/v1/subscriptions
                  health            %s/health  %s/health  %s/health
                  Kafka             %s   e.g. kcat -b %s -C -t evidence.pooled-estimates.v1 -f '%%k %%s\\n'
                  MongoDB           %s
                  logs              .local-stack/logs/
                %n""", console.baseUrl(), adminKey.equals(LOCAL_ADMIN_API_KEY) ? adminKey : "your key", study.baseUrl(), analysis.baseUrl(), notify.baseUrl(), study.baseUrl(), analysis.baseUrl(),
                notify.baseUrl(), kafka.bootstrapServers(), kafka.bootstrapServers(), mongo.connectionString());

        Map<String, BooleanSupplier> watched = new LinkedHashMap<>();
        watched.put("the MongoDB server", mongo::isAlive);
        watched.put("the Kafka broker", kafka::isAlive);
        for (ServiceProcess service : List.of(study, analysis, notify, console)) {
            watched.put(service.service().module(), service::isAlive);
        }
        while (watched.values().stream().allMatch(BooleanSupplier::getAsBoolean)) {
            Thread.sleep(1_000);
        }
        if (stopping.get()) {
            return;
        }
        List<String> exited = watched.entrySet().stream().filter(w -> !w.getValue().getAsBoolean()).map(Map.Entry::getKey).toList();
        say(String.join(", ", exited) + " exited; see .local-stack/logs/. Stopping.");
        if (mongo.ranOutOfHeap()) {
            say("the MongoDB server ran out of its heap; EVIDENCE_MONGO_HEAP sets the in-memory server's cap (a size such as 8g).");
        }
        System.exit(1);
    }

    private static void stopAll(List<AutoCloseable> started) {
        List<AutoCloseable> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("stopping " + c + ": " + e);
            }
        }
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static void say(String message) {
        System.out.println("[local-stack] " + message);
    }
}
