package org.livingevidence.testing;

import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Real Kafka (apache/kafka, KRaft) and MongoDB images through Testcontainers, where Docker runs. */
final class ContainersBackend implements InfrastructureBackend {

    static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
    static final String MONGO_IMAGE = "mongo:7.0";

    private final KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    private final MongoDBContainer mongo = new MongoDBContainer(DockerImageName.parse(MONGO_IMAGE));

    ContainersBackend() {
        kafka.start();
        mongo.start();
    }

    @Override
    public String name() {
        return "testcontainers (" + KAFKA_IMAGE + ", " + MONGO_IMAGE + ")";
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String mongoUri() {
        return mongo.getConnectionString();
    }

    /** Pausing (not stopping) keeps the container's mapped port and advertised address, so clients come back to it. */
    @Override
    public boolean canRestartKafka() {
        return true;
    }

    @Override
    public void stopKafka() {
        kafka.getDockerClient().pauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void startKafka() {
        kafka.getDockerClient().unpauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void close() {
        kafka.stop();
        mongo.stop();
    }
}
