package org.livingevidence.testing;

/** Endpoints someone else runs, named by EVIDENCE_KAFKA_BOOTSTRAP and EVIDENCE_MONGODB_URI. */
record ExternalBackend(String kafkaBootstrapServers, String mongoUri) implements InfrastructureBackend {

    @Override
    public String name() {
        return "external (EVIDENCE_KAFKA_BOOTSTRAP=" + kafkaBootstrapServers + ", EVIDENCE_MONGODB_URI=" + mongoUri + ")";
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
