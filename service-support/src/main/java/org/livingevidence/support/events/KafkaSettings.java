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

    public KafkaSettings(@Value("${kafka.bootstrap.servers:localhost:9092}") String bootstrapServers,
                         @Value("${kafka.replication-factor:1}") short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = replicationFactor;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }
}
