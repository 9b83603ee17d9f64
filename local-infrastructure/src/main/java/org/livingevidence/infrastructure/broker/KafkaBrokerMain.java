package org.livingevidence.infrastructure.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.livingevidence.infrastructure.launch.ChildJvm;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run in a JVM of its
 * own by {@link org.livingevidence.infrastructure.launch.EmbeddedKafka}.
 *
 * <p>Arguments: data directory, client port, controller port. The data directory is formatted once; a later
 * start on the same directory keeps every topic and offset.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        Path logDir = dataDir.resolve("kraft-logs");
        Files.createDirectories(logDir);

        Path propertiesFile = dataDir.resolve("server.properties");
        Properties properties = serverProperties(logDir, port, controllerPort);
        try (var out = Files.newBufferedWriter(propertiesFile)) {
            properties.store(out, "written by KafkaBrokerMain");
        }
        formatOnce(logDir, propertiesFile);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-broker-shutdown"));
        server.startup();
        awaitReady("localhost:" + port);
        System.out.println(ChildJvm.READY_MARKER + " kafka localhost:" + port);
        server.awaitShutdown();
    }

    private static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@localhost:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Services create their topics with the settings the contract documents; a typo must not
                // silently create a topic with broker defaults.
                Map.entry("auto.create.topics.enable", "false")));
        return p;
    }

    private static void formatOnce(Path logDir, Path propertiesFile) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        int exit = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile.toString(), "--ignore-formatted"},
                System.out);
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exit);
        }
    }

    private static void awaitReady(String bootstrap) throws Exception {
        Properties client = new Properties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(client)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }
}
