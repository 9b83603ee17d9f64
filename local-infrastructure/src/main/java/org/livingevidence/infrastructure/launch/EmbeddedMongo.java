package org.livingevidence.infrastructure.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A MongoDB wire-protocol server (mongo-java-server) in a child JVM: in memory, or on disk in an H2 file so
 * that data survives a restart.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final int port;
    private final ChildJvm child;

    private EmbeddedMongo(int port, ChildJvm child) {
        this.port = port;
        this.child = child;
    }

    /**
     * @param port      0 picks a free port
     * @param dataFile  the H2 file holding the data, or {@code null} to keep it in memory
     */
    public static EmbeddedMongo start(int port, Path dataFile, Path logFile) {
        int chosen = port == 0 ? FreePort.pick() : port;
        List<String> args = new ArrayList<>(List.of(Integer.toString(chosen)));
        if (dataFile != null) {
            args.add(dataFile.toAbsolutePath().toString());
        }
        try {
            ChildJvm child = ChildJvm.start("mongo-server", InfrastructureClasspath.get(),
                    List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=infrastructure-logback.xml"),
                    "org.livingevidence.infrastructure.mongo.MongoServerMain", args, Map.of(), logFile);
            child.awaitReadyMarker(Duration.ofSeconds(60));
            return new EmbeddedMongo(chosen, child);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String connectionString() {
        return "mongodb://localhost:" + port;
    }

    @Override
    public void close() {
        child.close();
    }
}
