package org.livingevidence.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.infrastructure.launch.FreePort;
import org.livingevidence.infrastructure.launch.ServiceProcess;
import org.livingevidence.infrastructure.launch.ServiceProcess.Service;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJwts;

/**
 * One credential works everywhere: a key issued once by study-service authenticates on all three services (run here
 * with reads protected, EVIDENCE_READ_ACCESS=READER), and after its revocation every service refuses it within the
 * documented time.
 */
@ExtendWith(InfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityAcrossServicesTest {

    /** The promise in docs/security.md: a revocation is in force on every service within this time. */
    static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceProcess study;
    private ServiceProcess analysis;
    private ServiceProcess notify;

    @BeforeAll
    void start(TestInfrastructure infrastructure) {
        Path root = Path.of(System.getProperty("evidence.repository.root", "..")).toAbsolutePath().normalize();
        Path logs = root.resolve("end-to-end-tests/target/service-logs/identity");
        String run = TestInfrastructure.uniqueName("identity");
        study = ServiceProcess.start(root, Service.STUDY, FreePort.pick(), properties(infrastructure, run, "study"), logs.resolve("study-service.log"));
        analysis = ServiceProcess.start(root, Service.ANALYSIS, FreePort.pick(), properties(infrastructure, run, "analysis"), logs.resolve("analysis-service.log"));
        notify = ServiceProcess.start(root, Service.NOTIFY, FreePort.pick(), properties(infrastructure, run, "notify"), logs.resolve("notify-service.log"));
    }

    private static Map<String, String> properties(TestInfrastructure infrastructure, String run, String service) {
        Map<String, String> p = new HashMap<>(infrastructure.serviceProcessProperties(run, service));
        p.put("evidence.security.read-access", "READER");
        return p;
    }

    @AfterAll
    void stop() {
        for (ServiceProcess s : new ServiceProcess[] {notify, analysis, study}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** One read on each service, with what each answers to a caller who may read. */
    private Map<String, HttpRequest.Builder> reads() {
        String analysisRequest = "{\"measure\": \"HR\", \"studies\": [{\"label\": \"A\", \"estimate\": -0.2, \"standardError\": 0.1}]}";
        Map<String, HttpRequest.Builder> reads = new java.util.LinkedHashMap<>();
        reads.put("study-service questions", HttpRequest.newBuilder(URI.create(study.baseUrl() + "/api/v1/questions")));
        reads.put("analysis-service estimate", HttpRequest.newBuilder(URI.create(analysis.baseUrl() + "/api/v1/questions/q_none/estimate")));
        reads.put("analysis-service analyses", HttpRequest.newBuilder(URI.create(analysis.baseUrl() + "/api/v1/analyses"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(analysisRequest)));
        reads.put("notify-service question feed", HttpRequest.newBuilder(URI.create(notify.baseUrl() + "/feeds/questions/q_none")));
        return reads;
    }

    private int status(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        HttpRequest.Builder copy = request.copy();
        if (token != null) {
            copy.header("authorization", "Bearer " + token);
        }
        return http.send(copy.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode post(String url, String json, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .header("authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isBetween(200, 201);
        return EventJson.mapper().readTree(response.body());
    }

    @Test
    void everyReadOnEveryServiceNeedsAReaderWhenReadsAreProtected() throws Exception {
        for (var read : reads().entrySet()) {
            assertThat(status(read.getValue(), null)).as(read.getKey() + " anonymous").isEqualTo(401);
            assertThat(status(read.getValue(), TestJwts.valid("subscriber-only", List.of("SUBSCRIBER")))).as(read.getKey() + " subscriber").isEqualTo(403);
            assertThat(status(read.getValue(), TestJwts.valid("reader", List.of("READER")))).as(read.getKey() + " reader").isNotIn(401, 403);
        }
    }

    @Test
    void aKeyIssuedOnceWorksEverywhereAndItsRevocationReachesEveryServiceWithinSeconds() throws Exception {
        JsonNode issued = post(study.baseUrl() + "/api/v1/api-keys", "{\"name\": \"everywhere\", \"roles\": [\"READER\", \"SUBSCRIBER\"]}",
                TestInfrastructure.ADMIN_API_KEY);
        String key = issued.get("apiKey").asText();
        Map<String, HttpRequest.Builder> reads = reads();
        for (var read : reads.entrySet()) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(read.getValue(), key) != 401);
            assertThat(status(read.getValue(), key)).as(read.getKey()).isNotIn(401, 403);
        }
        JsonNode subscription = post(notify.baseUrl() + "/api/v1/subscriptions", "{\"questionIds\": [\"q_none\"], \"feed\": {}}", key);
        assertThat(subscription.get("owner").asText()).isEqualTo("key:" + issued.get("keyId").asText());

        long revokedAt = System.nanoTime();
        post(study.baseUrl() + "/api/v1/api-keys/" + issued.get("keyId").asText() + "/revocation", "{}", TestInfrastructure.ADMIN_API_KEY);
        assertThat(status(reads.get("study-service questions"), key)).as("the issuing service, at once").isEqualTo(401);
        for (var read : reads.entrySet()) {
            await().atMost(REVOCATION_DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> status(read.getValue(), key) == 401);
        }
        System.out.printf("[identity] revocation in force on every service after %d ms%n", (System.nanoTime() - revokedAt) / 1_000_000);
    }
}
