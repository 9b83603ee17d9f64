package org.livingevidence.infrastructure.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Java main class run in a child JVM, its output copied to a log file. Ready when the child prints
 * {@link #READY_MARKER}, or, for children that cannot print it, when {@link Readiness} says so.
 *
 * <p>JDK classes only: this is loaded in JVMs (tests, the stack launcher) whose classpath must stay free of the
 * broker's and the MongoDB server's jars.
 */
public final class ChildJvm implements AutoCloseable {

    /** Printed on standard output by an infrastructure main once it serves requests. */
    public static final String READY_MARKER = "EVIDENCE-INFRASTRUCTURE-READY";

    /** Decides readiness from outside the child, for processes that do not print the marker. */
    @FunctionalInterface
    public interface Readiness {
        boolean ready();
    }

    /**
     * Children still running, newest first. When this JVM ends (normally, Ctrl-C, or a SIGTERM from a CI timeout)
     * they are stopped too, newest first (services before the infrastructure they use), instead of being left behind
     * holding their ports. A SIGKILL of this JVM runs no hook: its children then outlive it.
     */
    private static final Deque<ChildJvm> LIVE = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildJvm::close), "child-jvms-shutdown"));
    }

    private final String name;
    private final Process process;
    private final CompletableFuture<String> readyLine = new CompletableFuture<>();
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** JVM options from the environment variable {@code variable} (space-separated) when set, else {@code defaults}. */
    static List<String> optionsFromEnvironment(String variable, List<String> defaults) {
        String configured = System.getenv(variable);
        return configured == null || configured.isBlank() ? defaults : List.of(configured.trim().split("\\s+"));
    }

    /**
     * Starts {@code mainClass} with the given classpath, JVM options and arguments. Output goes to {@code logFile}.
     */
    public static ChildJvm start(String name, String classpath, List<String> jvmOptions, String mainClass,
                                 List<String> args, Map<String, String> environment, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        ChildJvm child = new ChildJvm(name, builder.start(), logFile);
        LIVE.push(child);
        child.copyOutput();
        return child;
    }

    private void copyOutput() {
        Thread copier = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (line.startsWith(READY_MARKER)) {
                        readyLine.complete(line);
                    }
                }
            } catch (IOException e) {
                readyLine.completeExceptionally(e);
            }
            readyLine.completeExceptionally(new IllegalStateException(
                    name + " exited before it was ready; see " + logFile.toAbsolutePath()));
        }, name + "-output");
        copier.setDaemon(true);
        copier.start();
    }

    /** Waits for the ready marker and returns the line that carried it. */
    public String awaitReadyMarker(Duration timeout) {
        try {
            return readyLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile.toAbsolutePath());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Polls {@code readiness} until it holds, the child dies, or the timeout passes. */
    public void awaitReady(Readiness readiness, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " before it was ready; see " + logFile.toAbsolutePath());
            }
            if (readiness.ready()) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile.toAbsolutePath());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the child has exited; empty while it runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** Ends the child at once (SIGKILL): no shutdown hooks, as in a crash. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** Asks the child to stop (SIGTERM, so its shutdown hooks run), then forces it after 30 seconds. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            LIVE.remove(this);
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
