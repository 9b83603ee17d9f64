package org.livingevidence.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.livingevidence.infrastructure.launch.EmbeddedKafka;
import org.livingevidence.infrastructure.launch.EmbeddedMongo;
import org.livingevidence.infrastructure.launch.FreePort;
import org.livingevidence.infrastructure.launch.ServiceProcess;
import org.livingevidence.infrastructure.launch.ServiceProcess.Service;
import org.livingevidence.testing.TestInfrastructure;

/**
 * A whole deployment of its own for tests that break things: a real Kafka broker and a MongoDB server with its data
 * on disk (both can be stopped and started again), and any number of instances of each service on them, each a real
 * process that can be killed. Shared infrastructure is left alone.
 */
final class OwnStack implements AutoCloseable {

    private final Path root = Path.of(System.getProperty("evidence.repository.root", "..")).toAbsolutePath().normalize();
    private final Path dir;
    private final EmbeddedKafka kafka;
    private final EmbeddedMongo mongo;
    private final Map<Service, List<ServiceProcess>> instances = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> properties = new EnumMap<>(Service.class);

    OwnStack(String name) {
        try {
            dir = Files.createTempDirectory("evidence-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mongo = EmbeddedMongo.start(0, dir.resolve("mongo/data.mv"), logs().resolve("mongodb.log"));
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, logs().resolve("kafka.log"));
    }

    Path logs() {
        return root.resolve("end-to-end-tests/target/service-logs/" + dir.getFileName());
    }

    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Starts one more instance of {@code service}, sharing the database and consumer group of the others. */
    ServiceProcess start(Service service, Map<String, String> extra) {
        Map<String, String> p = properties.computeIfAbsent(service, s -> {
            Map<String, String> base = new HashMap<>(TestInfrastructure.securityProperties());
            base.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            base.put("mongodb.uri", mongo.connectionString());
            base.put("evidence.security.bootstrap.api-key", TestInfrastructure.ADMIN_API_KEY);
            base.put("evidence.delivery.allowed-address-kinds", "LOOPBACK");
            return base;
        });
        p.putAll(extra);
        List<ServiceProcess> running = instances.computeIfAbsent(service, s -> new ArrayList<>());
        ServiceProcess process = ServiceProcess.start(root, service, FreePort.pick(), p,
                logs().resolve(service.module() + "-" + (running.size() + 1) + ".log"));
        running.add(process);
        return process;
    }

    List<ServiceProcess> instances(Service service) {
        return instances.getOrDefault(service, List.of()).stream().filter(ServiceProcess::isAlive).toList();
    }

    ServiceProcess any(Service service) {
        return instances(service).get(0);
    }

    void stopKafka() {
        kafka.stop();
    }

    void startKafka() {
        kafka.restart();
    }

    void stopMongo() {
        mongo.stop();
    }

    void startMongo() {
        mongo.restart();
    }

    @Override
    public void close() {
        instances.values().forEach(list -> list.forEach(ServiceProcess::close));
        kafka.close();
        mongo.close();
    }
}
