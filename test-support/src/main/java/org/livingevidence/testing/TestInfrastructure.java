package org.livingevidence.testing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;

/**
 * The infrastructure every integration test in a JVM shares, started once on first use and stopped when the JVM
 * exits. The backend is chosen in this order:
 * <ol>
 *   <li>external endpoints, when {@code EVIDENCE_KAFKA_BOOTSTRAP} and {@code EVIDENCE_MONGODB_URI} are set;</li>
 *   <li>Testcontainers (real Kafka and MongoDB images), when a Docker engine answers;</li>
 *   <li>the embedded real Kafka broker and mongo-java-server otherwise.</li>
 * </ol>
 * {@code EVIDENCE_TEST_BACKEND=embedded|containers} forces one of the last two. The chosen backend is printed.
 */
public final class TestInfrastructure {

    private static TestInfrastructure instance;

    private final InfrastructureBackend backend;

    private TestInfrastructure(InfrastructureBackend backend) {
        this.backend = backend;
    }

    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            long started = System.nanoTime();
            InfrastructureBackend backend = choose();
            instance = new TestInfrastructure(backend);
            Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "test-infrastructure-shutdown"));
            System.out.printf(Locale.ROOT, "[test-infrastructure] backend: %s; kafka=%s mongodb=%s; ready in %.1f s%n",
                    backend.name(), backend.kafkaBootstrapServers(), backend.mongoUri(), (System.nanoTime() - started) / 1e9);
        }
        return instance;
    }

    private static InfrastructureBackend choose() {
        String kafka = System.getenv("EVIDENCE_KAFKA_BOOTSTRAP");
        String mongo = System.getenv("EVIDENCE_MONGODB_URI");
        if (kafka != null && !kafka.isBlank() && mongo != null && !mongo.isBlank()) {
            return new ExternalBackend(kafka, mongo);
        }
        String forced = System.getenv().getOrDefault("EVIDENCE_TEST_BACKEND", "").toLowerCase(Locale.ROOT);
        if (forced.equals("embedded")) {
            return new EmbeddedBackend();
        }
        if (forced.equals("containers") || dockerAvailable()) {
            return new ContainersBackend();
        }
        return new EmbeddedBackend();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public String backendName() {
        return backend.name();
    }

    public String kafkaBootstrapServers() {
        return backend.kafkaBootstrapServers();
    }

    public String mongoUri() {
        return backend.mongoUri();
    }

    public boolean canRestartKafka() {
        return backend.canRestartKafka();
    }

    public void stopKafka() {
        backend.stopKafka();
    }

    public void startKafka() {
        backend.startKafka();
    }

    /**
     * Properties for a Micronaut service under test: the shared broker and MongoDB, and a database of its own so
     * that test classes do not see each other's data.
     */
    /** The bootstrap key every service under test registers (all roles): tests authenticate with it. */
    public static final String ADMIN_API_KEY = "lek_test-admin-key-0123456789abcdefghij";
    /** A test-only key for secrets at rest (32 bytes of zeros would do as well; nothing here is secret). */
    public static final String SECRETS_KEYS = "test1:dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=";

    public Map<String, String> serviceProperties(String databasePrefix) {
        Map<String, String> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", kafkaBootstrapServers());
        properties.put("mongodb.uri", mongoUri());
        properties.put("evidence.mongodb.database", uniqueName(databasePrefix));
        properties.put("evidence.security.bootstrap.api-key", ADMIN_API_KEY);
        properties.put("evidence.security.bootstrap.name", "test-admin");
        // Webhook receivers in tests listen on this machine: the SSRF guard lets loopback through here only.
        properties.put("evidence.delivery.allowed-address-kinds", "LOOPBACK");
        properties.putAll(securityProperties());
        return properties;
    }

    /**
     * Properties for a service started as its own process ({@code ServiceProcess}): the shared broker and MongoDB,
     * a database and consumer group named after the run and the service, the bootstrap key and the test security.
     */
    public Map<String, String> serviceProcessProperties(String run, String service) {
        Map<String, String> p = new HashMap<>();
        p.put("kafka.bootstrap.servers", kafkaBootstrapServers());
        p.put("mongodb.uri", mongoUri());
        p.put("evidence.mongodb.database", run + "-" + service);
        p.put("kafka.consumer-group", run + "-" + service);
        // study-service paces bulk imports by this run's analysis-service (its default names the production group).
        p.put("evidence.outbox.bulk-pacing.group", run + "-analysis-service");
        p.put("evidence.security.bootstrap.api-key", ADMIN_API_KEY);
        p.put("evidence.delivery.allowed-address-kinds", "LOOPBACK");
        p.putAll(securityProperties());
        return p;
    }

    /** The test-only secrets key and JWT settings every service under test runs with. */
    public static Map<String, String> securityProperties() {
        return Map.of("evidence.secrets.keys", SECRETS_KEYS,
                "evidence.security.jwt.secret", TestJwts.SECRET,
                "evidence.security.jwt.issuer", TestJwts.ISSUER,
                "evidence.security.jwt.audience", TestJwts.AUDIENCE);
    }

    /** A name no other test in any run uses: databases, consumer groups. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
