package org.livingevidence.infrastructure.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka broker (KRaft, single node) in a child JVM. It can be stopped and started again on the same
 * port and data directory, which is how tests show that nothing is lost while Kafka is down.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    private ChildJvm child;

    private EmbeddedKafka(Path dataDir, Path logFile, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on {@code port} (0 picks a free one) keeping its data in {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port, Path logFile) {
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, logFile, port == 0 ? FreePort.pick() : port, FreePort.pick());
        kafka.startProcess();
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Whether the broker's process is running: false once stopped, or once it exited on its own. */
    public synchronized boolean isAlive() {
        return child != null && child.isAlive();
    }

    /** Stops the broker; its data stays on disk. */
    public synchronized void stop() {
        if (child != null) {
            child.close();
            child = null;
        }
    }

    /** Starts the broker again on the same port and data. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    /**
     * Kafka's own JVM settings ({@code KAFKA_JVM_PERFORMANCE_OPTS} in {@code kafka-run-class.sh}): G1 with a 20 ms pause
     * goal. Every event passes through the broker, so its pauses stall every stage at once; with the serial collector
     * its young collections took about 65 ms each under a steady 20 records/s. C1 only, unlike Kafka's own: on two
     * cores shared with five other JVMs, the broker's C2 compiling took 40% of its CPU through a fresh stack's first
     * imports, and its C1 code handled the same requests in no more time (docs/performance.md, 2026-12-04).
     * {@code EVIDENCE_KAFKA_JVM_OPTIONS} (space-separated) replaces them all.
     */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-XX:TieredStopAtLevel=1",
            "-Dlogback.configurationFile=infrastructure-logback.xml");

    private synchronized void startProcess() {
        try {
            child = ChildJvm.start("kafka-broker", InfrastructureClasspath.get(),
                    ChildJvm.optionsFromEnvironment("EVIDENCE_KAFKA_JVM_OPTIONS", DEFAULT_JVM_OPTIONS),
                    "org.livingevidence.infrastructure.broker.KafkaBrokerMain",
                    List.of(dataDir.toString(), Integer.toString(port), Integer.toString(controllerPort)),
                    Map.of(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        child.awaitReadyMarker(Duration.ofSeconds(90));
    }

    @Override
    public void close() {
        stop();
    }
}
