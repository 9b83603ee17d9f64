package org.livingevidence.support.events;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Where the broker is ({@code kafka.bootstrap.servers}, or the environment variable KAFKA_BOOTSTRAP_SERVERS) and
 * how topics are replicated ({@code kafka.replication-factor}: 1 for one local broker, 3 in production).
 */
@Singleton
public class KafkaSettings {

    private final String bootstrapServers;
    private final short replicationFactor;
    private final java.time.Duration sessionTimeout;

    public KafkaSettings(@Value("${kafka.bootstrap.servers:localhost:9092}") String bootstrapServers,
                         @Value("${kafka.replication-factor:1}") short replicationFactor,
                         @Value("${kafka.session-timeout:6s}") java.time.Duration sessionTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = replicationFactor;
        this.sessionTimeout = sessionTimeout;
    }

    /**
     * How long a silent group member keeps its partitions before another takes them over (consumers and outbox
     * relay shards): 6 s, the broker's default minimum, so a killed instance's work moves within seconds. Heartbeats
     * go every third of it from a thread of their own, so only a process frozen that long loses its partitions.
     */
    public java.time.Duration getSessionTimeout() {
        return sessionTimeout;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }
}
