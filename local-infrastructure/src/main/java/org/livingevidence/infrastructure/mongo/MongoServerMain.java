package org.livingevidence.infrastructure.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.livingevidence.infrastructure.launch.ChildJvm;

/**
 * A MongoDB wire-protocol server (mongo-java-server), run in a JVM of its own by
 * {@link org.livingevidence.infrastructure.launch.EmbeddedMongo}.
 *
 * <p>Arguments: port, then optionally an H2 file for on-disk data (without it, data lives in memory).
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        MongoBackend backend;
        if (args.length > 1) {
            Path file = Path.of(args[1]).toAbsolutePath();
            Files.createDirectories(file.getParent());
            backend = new H2Backend(file.toString());
        } else {
            String census = System.getenv("EVIDENCE_MONGO_CENSUS");
            backend = new InMemoryBackend(census == null || census.isBlank() ? null : CommandCensus.writingTo(Path.of(census)));
        }
        MongoServer server = new MongoServer(backend);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // shutdown() also closes the backend, which flushes the H2 file.
            server.shutdown();
        }, "mongo-server-shutdown"));
        server.bind("127.0.0.1", port);
        System.out.println(ChildJvm.READY_MARKER + " mongodb mongodb://localhost:" + port);
        Thread.currentThread().join();
    }
}
