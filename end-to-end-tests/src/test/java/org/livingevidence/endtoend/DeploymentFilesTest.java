package org.livingevidence.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What `docker compose` and the image do before any container runs: no well-known credential, no infrastructure
 * port open to the network, no root. Runs the real compose tool when one is installed (.ci/run installs
 * docker-compose and sets EVIDENCE_REQUIRE_COMPOSE=1, so there it cannot be skipped).
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("evidence.repository.root", "..")).toAbsolutePath().normalize();

    private record Run(int exit, String output) {
    }

    private static List<String> composeCommand() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            try {
                Process p = new ProcessBuilder(new ArrayList<>(candidate) {{ add("version"); }}).redirectErrorStream(true).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException e) {
                // not installed
            }
        }
        return null;
    }

    private static Run config(List<String> compose, Map<String, String> environment, String... options) throws Exception {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(options));
        command.add("config");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("EVIDENCE_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return new Run(process.exitValue(), output);
    }

    /** The compose tool; the test is skipped without one, except where EVIDENCE_REQUIRE_COMPOSE says it must exist. */
    private static List<String> requireCompose() {
        List<String> compose = composeCommand();
        if (compose == null) {
            assertThat(System.getenv("EVIDENCE_REQUIRE_COMPOSE")).as("docker compose or docker-compose must be installed here").isNull();
            Assumptions.abort("neither `docker compose` nor `docker-compose` is installed");
        }
        return compose;
    }

    @Test
    void composeRefusesToStartWithoutOperatorCredentialsAndKeepsInfrastructureOnLoopback() throws Exception {
        List<String> compose = requireCompose();
        Run noKey = config(compose, Map.of());
        assertThat(noKey.exit()).isNotZero();
        assertThat(noKey.output()).contains("Set EVIDENCE_SECURITY_BOOTSTRAP_API_KEY to a key of your own");

        Run noSecretsKey = config(compose, Map.of("EVIDENCE_SECURITY_BOOTSTRAP_API_KEY", "lek_" + "a".repeat(64)));
        assertThat(noSecretsKey.exit()).isNotZero();
        assertThat(noSecretsKey.output()).contains("Set EVIDENCE_SECRETS_KEYS");

        Run configured = config(compose, Map.of("EVIDENCE_SECURITY_BOOTSTRAP_API_KEY", "lek_" + "a".repeat(64),
                "EVIDENCE_SECRETS_KEYS", "k1:" + "A".repeat(43) + "="));
        assertThat(configured.exit()).as(configured.output()).isZero();
        assertThat(configured.output()).contains("127.0.0.1:9092:9092", "127.0.0.1:27017:27017")
                .doesNotContain("lek_local-admin-key-for-development-only");
        assertThat(configured.output().lines().filter(l -> l.contains(":9092:9092") || l.contains(":27017:27017")))
                .allSatisfy(l -> assertThat(l).contains("127.0.0.1:"));
        // The console runs beside the services, pointed at them by their compose names, and alerts link to it.
        String console = section(configured.output(), "console");
        assertThat(console).contains("SERVICE: console", "EVIDENCE_STUDY_URL: http://study-service:8081",
                "EVIDENCE_ANALYSIS_URL: http://analysis-service:8082", "EVIDENCE_NOTIFY_URL: http://notify-service:8083",
                "KAFKA_BOOTSTRAP_SERVERS: kafka:29092").containsPattern("published: \"?8080");
        assertThat(section(configured.output(), "notify-service")).contains("EVIDENCE_LINKS_CONSOLE_BASE_URL: http://localhost:8080");
    }

    @Test
    void theScaledProfileRunsASecondInstanceOfEachServiceOnTheSameInfrastructure() throws Exception {
        List<String> compose = requireCompose();
        Run scaled = config(compose, Map.of("EVIDENCE_SECURITY_BOOTSTRAP_API_KEY", "lek_" + "a".repeat(64),
                "EVIDENCE_SECRETS_KEYS", "k1:" + "A".repeat(43) + "="), "--profile", "scaled");
        assertThat(scaled.exit()).as(scaled.output()).isZero();
        for (String service : List.of("study-service", "analysis-service", "notify-service")) {
            String second = section(scaled.output(), service + "-2");
            assertThat(second).as(service + "-2").contains("KAFKA_BOOTSTRAP_SERVERS: kafka:29092", "MONGODB_URI: mongodb://mongo:27017",
                    "SERVICE: " + service).containsPattern("profiles:\\s*- scaled");
        }
        assertThat(section(scaled.output(), "notify-service-2")).contains("EVIDENCE_SECRETS_KEYS: k1:");
        // compose v1 prints `published: 8091`, v2 `published: "8091"`.
        for (String port : List.of("8091", "8092", "8093")) {
            assertThat(scaled.output()).containsPattern("published: \"?" + port);
        }
    }

    /** The block of one service in `compose config` output (two-space indented name, then deeper lines). */
    private static String section(String config, String service) {
        StringBuilder block = new StringBuilder();
        boolean inside = false;
        for (String line : config.lines().toList()) {
            if (line.matches("^  \\S.*")) {
                inside = line.equals("  " + service + ":");
            }
            if (inside) {
                block.append(line).append('\n');
            }
        }
        return block.toString();
    }

    @Test
    void theServiceImageRunsAsAnUnprivilegedUser() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
        String lastUser = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("");
        assertThat(lastUser).as("the final stage's USER").isNotEmpty();
        String user = lastUser.substring("USER ".length()).split(":")[0].strip();
        assertThat(user).isNotIn("root", "0");
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        assertThat(lines.indexOf(lastUser)).as("USER is set in the runtime stage").isGreaterThan(lastFrom);
    }
}
