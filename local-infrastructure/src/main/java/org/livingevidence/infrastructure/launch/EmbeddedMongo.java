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
 * that data survives a restart. With a file it can be stopped and started again on the same port, which is how the
 * resilience tests take MongoDB away from running services.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final int port;
    private final Path dataFile;
    private final Path logFile;
    private final String heap;
    private ChildJvm child;

    private EmbeddedMongo(int port, Path dataFile, Path logFile, String heap) {
        this.port = port;
        this.dataFile = dataFile;
        this.logFile = logFile;
        this.heap = heap;
    }

    /**
     * @param port      0 picks a free port
     * @param dataFile  the H2 file holding the data, or {@code null} to keep it in memory
     */
    public static EmbeddedMongo start(int port, Path dataFile, Path logFile) {
        return start(port, dataFile, logFile, dataFile == null ? inMemoryHeap() : "512m");
    }

    /** As {@link #start(int, Path, Path)}, with the server's heap cap given ({@code -Xmx}). */
    static EmbeddedMongo start(int port, Path dataFile, Path logFile, String heap) {
        EmbeddedMongo mongo = new EmbeddedMongo(port == 0 ? FreePort.pick() : port, dataFile, logFile, heap);
        mongo.startProcess();
        return mongo;
    }

    private synchronized void startProcess() {
        List<String> args = new ArrayList<>(List.of(Integer.toString(port)));
        if (dataFile != null) {
            args.add(dataFile.toAbsolutePath().toString());
        }
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(collector());
        if (dataFile == null) {
            // In memory, a server out of heap kept its port open and answered nothing: every client waited out its
            // timeouts, and nothing said why (2026-12-05, after about 145,000 records at 3 GiB). Exiting makes the
            // outage visible (./local-stack stops and says why); the data was going to be lost with the process
            // anyway. Not with the H2 file: an exit skips the shutdown that closes the file, so writes not yet
            // committed to it would be lost, where a hung server can still be stopped cleanly. After the
            // collector's options, so that EVIDENCE_MONGO_GC_OPTIONS neither drops nor overrides it.
            options.add("-XX:+ExitOnOutOfMemoryError");
        }
        options.add("-Dlogback.configurationFile=infrastructure-logback.xml");
        try {
            child = ChildJvm.start("mongo-server", InfrastructureClasspath.get(), options,
                    "org.livingevidence.infrastructure.mongo.MongoServerMain", args, Map.of(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        child.awaitReadyMarker(Duration.ofSeconds(60));
    }

    /**
     * In memory, the heap is the database: a load run of tens of thousands of records outgrows 512 MiB, and a server
     * out of heap exits (see {@link #startProcess}). The cap bounds growth. 3 GiB; a cap of 8 GiB
     * was measured (docs/performance.md, 2026-12-05, eighth session): it spared the concurrent markings a fuller 3 GiB
     * heap runs, but its larger young generation made each young pause longer, and over the whole load sequence
     * neither cap was better. {@code EVIDENCE_MONGO_HEAP} (for example {@code 8g}) sets another cap.
     */
    static String inMemoryHeap() {
        return heapCap(System.getenv("EVIDENCE_MONGO_HEAP"));
    }

    /**
     * {@code configured} as a size for {@code -Xmx} (digits and a unit: {@code 3g}, {@code 8192m}), or the default when
     * unset; anything else is refused with the variable's name, rather than a server that never starts.
     */
    static String heapCap(String configured) {
        if (configured == null || configured.isBlank()) {
            return DEFAULT_IN_MEMORY_HEAP;
        }
        String size = configured.strip();
        if (!size.matches("[1-9][0-9]{0,8}[kKmMgG]")) {
            throw new IllegalArgumentException("EVIDENCE_MONGO_HEAP must be a size such as 3g or 8192m, not '" + size + "'");
        }
        return size;
    }

    static final String DEFAULT_IN_MEMORY_HEAP = "3g";

    /** {@code EVIDENCE_MONGO_GC_OPTIONS} (space-separated) when set, else {@link #DEFAULT_COLLECTOR}. */
    private static List<String> collector() {
        return ChildJvm.optionsFromEnvironment("EVIDENCE_MONGO_GC_OPTIONS", DEFAULT_COLLECTOR);
    }

    /**
     * G1 with a 20 ms pause goal. In memory the heap is the database, so every collector pays for its size: with the
     * serial collector a 20,000-record run cost four full collections of 0.8 s; with G1 young pauses grow to about
     * 45 ms once it holds a few such loads. Shenandoah was measured too (docs/performance.md, 2026-12-03): it kept
     * a steady 20 records/s a little better, but with the heap two-thirds full its concurrent cycles ran half the
     * time on one of the two cores, and imports, replay and a curator's record during an import all got slower.
     * The young generation may shrink to 1% of the heap instead of G1's floor of 5% (150 MiB of 3 GiB): a young
     * pause copies the documents written since the last one, so smaller, more frequent pauses (14 ms instead of
     * 30 ms at 20 records/s) delay fewer requests by less; a steady 20 records/s had a p99 of 46.7-60.9 ms against
     * 54.6-77.9 ms, imports as fast (docs/performance.md, 2026-12-04, fourth session).
     */
    static final List<String> DEFAULT_COLLECTOR = List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:+UnlockExperimentalVMOptions", "-XX:G1NewSizePercent=1");

    public String connectionString() {
        return "mongodb://localhost:" + port;
    }

    /**
     * Whether the server's process is running: false once stopped, or once it exited on its own (out of heap, say).
     * Waits while {@link #stop} or {@link #restart} runs.
     */
    public synchronized boolean isAlive() {
        return child != null && child.isAlive();
    }

    /** Whether the server exited on its own for want of heap (the JVM's exit code for it, 3). */
    public synchronized boolean ranOutOfHeap() {
        return child != null && child.exitCode().orElse(0) == 3;
    }

    /** Stops the server (its data stays in the file). */
    public synchronized void stop() {
        if (child != null) {
            child.close();
            child = null;
        }
    }

    /** Starts it again on the same port and file; only for a server with a data file. */
    public synchronized void restart() {
        if (dataFile == null) {
            throw new IllegalStateException("an in-memory server would come back empty: start it with a data file");
        }
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }
}
