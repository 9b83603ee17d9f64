package org.livingevidence.testing;

/** A Kafka broker and a MongoDB endpoint for tests. */
interface InfrastructureBackend extends AutoCloseable {

    String name();

    String kafkaBootstrapServers();

    String mongoUri();

    /** Whether {@link #stopKafka()} and {@link #startKafka()} work (the embedded broker, and containers by pausing). */
    default boolean canRestartKafka() {
        return false;
    }

    default void stopKafka() {
        throw new UnsupportedOperationException(name() + " cannot stop its broker");
    }

    default void startKafka() {
        throw new UnsupportedOperationException(name() + " cannot start its broker");
    }

    @Override
    void close();
}
