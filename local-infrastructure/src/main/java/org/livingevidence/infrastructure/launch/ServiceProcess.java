package org.livingevidence.infrastructure.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the three services (or the console) run from its Maven build output ({@code target/classes} and the
 * {@code target/runtime.classpath} the build writes) in a JVM of its own: the local stack and the end-to-end tests
 * start the real applications this way, without building fat jars.
 */
public final class ServiceProcess implements AutoCloseable {

    /** A service module (or the console): its folder and main class. */
    public enum Service {
        STUDY("study-service", "org.livingevidence.study.Application"),
        ANALYSIS("analysis-service", "org.livingevidence.analysis.Application"),
        NOTIFY("notify-service", "org.livingevidence.notify.Application"),
        CONSOLE("console", "org.livingevidence.console.Application");

        private final String module;
        private final String mainClass;

        Service(String module, String mainClass) {
            this.module = module;
            this.mainClass = mainClass;
        }

        public String module() {
            return module;
        }

        /** The three services that own data (the console holds none). */
        public static java.util.List<Service> dataServices() {
            return java.util.List.of(STUDY, ANALYSIS, NOTIFY);
        }
    }

    private final Service service;
    private final int port;
    private final ChildJvm child;

    private ServiceProcess(Service service, int port, ChildJvm child) {
        this.service = service;
        this.port = port;
        this.child = child;
    }

    /**
     * Starts {@code service} from the build under {@code repositoryRoot} on {@code port}, with the given
     * configuration properties, and waits until its health endpoint answers 200 (ready).
     */
    public static ServiceProcess start(Path repositoryRoot, Service service, int port, Map<String, String> properties,
                                       Path logFile) {
        return start(repositoryRoot, service, port, properties, logFile, "/health");
    }

    /**
     * The same, waiting only until the process is alive ({@code /health/liveness}): for an instance that is not
     * ready for a long time on purpose (an analysis-service rebuilding its projections from the topics).
     */
    public static ServiceProcess startAlive(Path repositoryRoot, Service service, int port, Map<String, String> properties,
                                            Path logFile) {
        return start(repositoryRoot, service, port, properties, logFile, "/health/liveness");
    }

    private static ServiceProcess start(Path repositoryRoot, Service service, int port, Map<String, String> properties,
                                        Path logFile, String healthPath) {
        Path moduleDir = repositoryRoot.resolve(service.module);
        Path classpathFile = moduleDir.resolve("target/runtime.classpath");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build with ./mvnw install -DskipTests first");
        }
        try {
            String classpath = moduleDir.resolve("target/classes") + java.io.File.pathSeparator
                    + Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
            List<String> jvm = new ArrayList<>(jvmOptions());
            jvm.add("-Dmicronaut.server.port=" + port);
            properties.forEach((key, value) -> jvm.add("-D" + key + "=" + value));
            ChildJvm child = ChildJvm.start(service.module, classpath, jvm, service.mainClass, List.of(), Map.of(), logFile);
            ServiceProcess process = new ServiceProcess(service, port, child);
            child.awaitReady(() -> process.answers(healthPath), Duration.ofSeconds(120));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The services' JVM options: {@code EVIDENCE_SERVICE_JVM_OPTIONS} (space-separated) when set, else
     * {@link #DEFAULT_JVM_OPTIONS}. See docs/performance.md for what each choice costs and gives.
     */
    static List<String> jvmOptions() {
        return ChildJvm.optionsFromEnvironment("EVIDENCE_SERVICE_JVM_OPTIONS", DEFAULT_JVM_OPTIONS);
    }

    /**
     * Small heaps and C1 only (three services, a broker and MongoDB share two cores); G1 with a 50 ms pause goal,
     * because the serial collector's full collections (about 230 ms each under large analyses) held up
     * {@code /health} past 100 ms.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50",
            "-XX:TieredStopAtLevel=1");

    private boolean answers(String healthPath) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + healthPath)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Service service() {
        return service;
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** Kills the service without letting it shut down, as a crash or an OOM kill would. */
    public void kill() {
        child.kill();
    }

    @Override
    public void close() {
        child.close();
    }
}
