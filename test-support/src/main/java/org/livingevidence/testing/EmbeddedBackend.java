package org.livingevidence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.livingevidence.infrastructure.launch.EmbeddedKafka;
import org.livingevidence.infrastructure.launch.EmbeddedMongo;

/** The real Kafka broker and mongo-java-server, each in a child JVM, with data in a temporary folder. */
final class EmbeddedBackend implements InfrastructureBackend {

    private final EmbeddedKafka kafka;
    private final EmbeddedMongo mongo;

    EmbeddedBackend() {
        try {
            Path dir = Files.createTempDirectory("evidence-test-infrastructure");
            EmbeddedMongo startedMongo = EmbeddedMongo.start(0, null, dir.resolve("mongo.log"));
            try {
                this.kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, dir.resolve("kafka.log"));
            } catch (RuntimeException e) {
                startedMongo.close();
                throw e;
            }
            this.mongo = startedMongo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "embedded (Kafka broker and mongo-java-server in child JVMs)";
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String mongoUri() {
        return mongo.connectionString();
    }

    @Override
    public boolean canRestartKafka() {
        return true;
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.restart();
    }

    @Override
    public void close() {
        kafka.close();
        mongo.close();
    }
}
