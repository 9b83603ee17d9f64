package org.livingevidence.support.events;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/**
 * Where the broker is ({@code kafka.bootstrap.servers}, or the environment variable KAFKA_BOOTSTRAP_SERVERS) and
 * how topics are replicated ({@code kafka.replication-factor}: 1 for one local broker, 3 in production; and
 * {@code kafka.min-insync-replicas}: by default 2 from a replication factor of 3, else 1). Every Kafka client of the
 * service (consumers, producers, admin) also gets the properties under {@code kafka.client.*} verbatim: TLS and SASL
 * for a production cluster, e.g. {@code KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL}, {@code KAFKA_CLIENT_SASL_MECHANISM},
 * {@code KAFKA_CLIENT_SASL_JAAS_CONFIG}, {@code KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION}.
 */
@Singleton
public class KafkaSettings {

    private static final String ENVIRONMENT_PREFIX = "KAFKA_CLIENT_";

    private final String bootstrapServers;
    private final short replicationFactor;
    private final java.time.Duration sessionTimeout;
    private final short minInsyncReplicas;
    private final Map<String, String> clientProperties;

    @Inject
    public KafkaSettings(@Value("${kafka.bootstrap.servers:localhost:9092}") String bootstrapServers,
                         @Value("${kafka.replication-factor:1}") short replicationFactor,
                         @Value("${kafka.session-timeout:6s}") java.time.Duration sessionTimeout,
                         @Value("${kafka.min-insync-replicas:0}") short minInsyncReplicas,
                         PropertyResolver configuration) {
        this(bootstrapServers, replicationFactor, sessionTimeout, minInsyncReplicas, clientProperties(configuration, System.getenv()));
    }

    /** With the client properties given: {@code clientProperties} as under {@code kafka.client}, e.g. {@code security.protocol}. */
    public KafkaSettings(String bootstrapServers, short replicationFactor, java.time.Duration sessionTimeout, short minInsyncReplicas,
                         Map<String, String> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = new TreeMap<>();
        if (clientProperties != null) {
            // Environment variables reach Micronaut in several spellings (KAFKA_CLIENT_SASL_MECHANISM is also
            // sasl-mechanism); Kafka's own keys never contain a hyphen, so only the dotted spelling is passed on.
            clientProperties.forEach((key, value) -> {
                if (!key.contains("-") && value != null) {
                    this.clientProperties.put(key, value);
                }
            });
        }
        this.replicationFactor = replicationFactor;
        this.sessionTimeout = sessionTimeout;
        this.minInsyncReplicas = minInsyncReplicas > 0 ? minInsyncReplicas : (short) (replicationFactor >= 3 ? 2 : 1);
        if (this.minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("kafka.min-insync-replicas (" + this.minInsyncReplicas
                    + ") cannot exceed kafka.replication-factor (" + replicationFactor + "): no write could ever be acknowledged");
        }
    }

    /**
     * {@code kafka.client.*} from the configuration (files, system properties), then {@code KAFKA_CLIENT_*} from the
     * environment, which wins. Micronaut does not list environment variables under a prefix, so they are read here:
     * Kafka's client settings are lower case with dots only, so {@code KAFKA_CLIENT_SASL_JAAS_CONFIG} is
     * {@code sasl.jaas.config}.
     */
    static Map<String, String> clientProperties(PropertyResolver configuration, Map<String, String> environment) {
        Map<String, String> properties = new TreeMap<>();
        configuration.getProperties("kafka.client", StringConvention.RAW)
                .forEach((key, value) -> properties.put(key, String.valueOf(value)));
        environment.forEach((name, value) -> {
            if (name.startsWith(ENVIRONMENT_PREFIX) && name.length() > ENVIRONMENT_PREFIX.length()) {
                properties.put(name.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /** Without client properties: a plain connection, as to the embedded broker in tests. */
    public KafkaSettings(String bootstrapServers, short replicationFactor, java.time.Duration sessionTimeout, short minInsyncReplicas) {
        this(bootstrapServers, replicationFactor, sessionTimeout, minInsyncReplicas, Map.of());
    }

    /**
     * The base of every Kafka client's configuration in the service: where the brokers are, and how to reach them
     * ({@code kafka.client.*}). A fresh map each time, for the caller to add its own settings to.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /**
     * The base of a consumer-group member's configuration (event consumers and outbox relay shards alike): the
     * client configuration, the group, offsets committed by the caller, and fast takeover: a killed member's
     * partitions move after the session timeout ({@code kafka.session-timeout}, 6 s, the broker's default minimum;
     * heartbeats go every third of it from a thread of their own, so only a process frozen that long loses its
     * partitions), and cooperative rebalancing lets the other members keep their partitions and their work in
     * flight meanwhile.
     */
    public Map<String, Object> groupMemberConfig(String group) {
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 3));
        return config;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    /**
     * Replicas that must have an event before the producers' {@code acks=all} succeeds: with 3 replicas, 2, so an
     * acknowledged event (which the outbox then forgets) survives the loss of a broker, and writes go on while one is
     * down.
     */
    public short getMinInsyncReplicas() {
        return minInsyncReplicas;
    }
}
