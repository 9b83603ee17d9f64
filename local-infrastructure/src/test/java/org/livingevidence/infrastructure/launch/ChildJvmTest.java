package org.livingevidence.infrastructure.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Children do not outlive the JVM that started them when it is stopped (as a CI timeout stops a test JVM). */
class ChildJvmTest {

    /** A child that only waits to be stopped. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println(ChildJvm.READY_MARKER + " sleeper");
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
    }

    /** A parent that starts a sleeper, prints its pid and waits. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            ChildJvm child = ChildJvm.start("sleeper", System.getProperty("java.class.path"), List.of("-Xmx32m"),
                    Sleeper.class.getName(), List.of(), Map.of(), Path.of(args[0]));
            child.awaitReadyMarker(java.time.Duration.ofSeconds(60));
            System.out.println("child " + child.pid());
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
    }

    @Test
    void aParentStoppedWithSigtermStopsItsChildren() throws Exception {
        Path log = Files.createTempFile("sleeper", ".log");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Parent.class.getName(), log.toString())
                .redirectErrorStream(true).start();
        long childPid = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("child ")) {
                // the parent's own output before the child's pid
            }
            assertThat(line).as("the parent reported its child").isNotNull();
            childPid = Long.parseLong(line.substring("child ".length()).trim());
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
            assertThat(child.isAlive()).isTrue();

            parent.destroy(); // SIGTERM, as a CI timeout or Ctrl-C sends
            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            child.onExit().get(30, TimeUnit.SECONDS);
            assertThat(child.isAlive()).isFalse();
        } finally {
            parent.destroyForcibly();
            if (childPid > 0) {
                ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(log);
        }
    }
}
