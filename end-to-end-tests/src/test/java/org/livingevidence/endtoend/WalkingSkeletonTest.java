package org.livingevidence.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.alerts.AlertSchema;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.infrastructure.launch.FreePort;
import org.livingevidence.infrastructure.launch.ServiceProcess;
import org.livingevidence.infrastructure.launch.ServiceProcess.Service;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.StandardWebhooksVerifier;
import org.livingevidence.infrastructure.stack.SampleData;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.WebhookReceiver;

/**
 * The three services as separate processes on real infrastructure: a curator's records flow through study-service,
 * Kafka and analysis-service to a subscriber's webhook.
 */
@ExtendWith(InfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceProcess study;
    private ServiceProcess analysis;
    private ServiceProcess notify;
    private WebhookReceiver receiver;
    private TestInfrastructure infrastructure;

    @BeforeAll
    void startServices(TestInfrastructure infrastructure) {
        this.infrastructure = infrastructure;
        root = Path.of(System.getProperty("evidence.repository.root", "..")).toAbsolutePath().normalize();
        logs = root.resolve("end-to-end-tests/target/service-logs");
        String run = TestInfrastructure.uniqueName("e2e");
        study = ServiceProcess.start(root, Service.STUDY, FreePort.pick(), properties(run, "study"), logs.resolve("study-service.log"));
        analysis = ServiceProcess.start(root, Service.ANALYSIS, FreePort.pick(), properties(run, "analysis"), logs.resolve("analysis-service.log"));
        notifyProperties = properties(run, "notify");
        notifyProperties.put("evidence.links.analysis-base-url", analysis.baseUrl());
        notifyProperties.put("evidence.links.study-base-url", study.baseUrl());
        notifyProperties.put("evidence.delivery.retry-delays", "3s,3s,3s,3s");
        notifyProperties.put("evidence.delivery.poll-interval", "200ms");
        notify = ServiceProcess.start(root, Service.NOTIFY, FreePort.pick(), notifyProperties, logs.resolve("notify-service.log"));
        receiver = new WebhookReceiver();
    }

    private Map<String, String> notifyProperties;
    private Path root;
    private Path logs;

    private Map<String, String> properties(String run, String service) {
        return new HashMap<>(infrastructure.serviceProcessProperties(run, service));
    }

    @AfterAll
    void stopServices() {
        for (AutoCloseable c : new AutoCloseable[] {notify, analysis, study, receiver}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    void theSampleDataLoadsThroughTheCuratorApiAndLoadingItAgainChangesNothing() throws Exception {
        Path file = Path.of(System.getProperty("evidence.repository.root", "..")).resolve("sample-data/seed-studies.json");
        List<String> records = SampleData.load(file, study.baseUrl(), TestInfrastructure.ADMIN_API_KEY);
        List<String> again = SampleData.load(file, study.baseUrl(), TestInfrastructure.ADMIN_API_KEY);

        assertThat(records).hasSize(6).doesNotHaveDuplicates();
        // Loading again answers with the records already there, not with new ones.
        assertThat(again).isEqualTo(records);
        HttpResponse<String> studies = http.send(HttpRequest.newBuilder(URI.create(study.baseUrl() + "/api/v1/studies?limit=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(studies.headers().firstValue("X-Total-Count")).hasValue("5");
        HttpResponse<String> questions = http.send(HttpRequest.newBuilder(URI.create(study.baseUrl() + "/api/v1/questions?limit=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Integer.parseInt(questions.headers().firstValue("X-Total-Count").orElseThrow())).isGreaterThanOrEqualTo(5);

        // The MDRT cohort's 28 of 47 is judged against its question's reference proportion of one half.
        JsonNode singleArm = EventJson.mapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create(study.baseUrl() + "/api/v1/questions?tag=single-arm")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(singleArm).hasSize(1);
        String mdrtQuestion = singleArm.get(0).get("questionId").asText();
        awaitEstimate(mdrtQuestion, 1);
        JsonNode mdrt = estimate(mdrtQuestion);
        assertThat(mdrt.get("effectMeasure").asText()).isEqualTo("PLO");
        assertThat(mdrt.at("/conclusion/estimate").asDouble()).isCloseTo(28.0 / 47, within(1e-9));
        assertThat(mdrt.at("/conclusion/significant").asBoolean()).isFalse();
        assertThat(mdrt.at("/conclusion/statement").asText()).contains("favours the intervention over the reference proportion 0.50");

        // The overall-survival question states a baseline risk: its estimate says what it means per 1,000, and what
        // one more trial would have to show to change it.
        JsonNode all = EventJson.mapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create(study.baseUrl() + "/api/v1/questions?limit=50")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String survival = null;
        for (JsonNode q : all) {
            if (q.get("title").asText().startsWith("Local or regional therapy added to systemic therapy")) {
                survival = q.get("questionId").asText();
            }
        }
        assertThat(survival).isNotNull();
        awaitEstimate(survival, 1);
        JsonNode robustness = estimate(survival).get("robustness");
        assertThat(robustness.at("/absoluteEffect/statement").asText())
                .startsWith("For overall survival, at a baseline risk of 450 per 1,000 over 5 years");
        assertThat(robustness.at("/newStudy/statement").asText()).contains("would make this");
        // The question sets an MID of HR 0.90, which its interval includes.
        assertThat(robustness.at("/newStudyForMid/becomes").asText()).isIn("IMPORTANT_BENEFIT", "NO_IMPORTANT_BENEFIT");
        assertThat(robustness.at("/newStudyForMid/statement").asText()).contains("minimal important difference (HR 0.90)");
    }

    @Test
    void aSignificanceFlipAlertsTheSubscriberExactlyOnceAndANonShiftDoesNot() throws Exception {
        String questionId = question("Local therapy plus systemic therapy: overall survival");
        JsonNode subscription = subscribe(questionId, receiver);
        String secret = subscription.get("secret").asText();

        addRecord(questionId, "Study A 2021", 0.80, 0.60, 1.07);
        awaitEstimate(questionId, 1);
        assertThat(estimate(questionId).at("/conclusion/significant").asBoolean()).isFalse();

        addRecord(questionId, "Study B 2023", 0.70, 0.55, 0.89);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() >= 1);
        assertThat(estimate(questionId).at("/conclusion/significant").asBoolean()).isTrue();

        addRecord(questionId, "Study C 2025", 0.75, 0.60, 0.94);
        awaitEstimate(questionId, 3);
        assertThat(estimate(questionId).at("/conclusion/significant").asBoolean()).isTrue();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);

        List<WebhookReceiver.Received> alerts = receiver.received();
        assertThat(alerts).hasSize(1);
        assertThat(StandardWebhooksVerifier.verify(secret, alerts.get(0))).isTrue();
        JsonNode alert = EventJson.mapper().readTree(alerts.get(0).body());
        assertThat(alert.at("/data/questionId").asText()).isEqualTo(questionId);
        assertThat(AlertSchema.violations(alert)).isEmpty();
        assertThat(alert.at("/data/questionTitle").asText()).isEqualTo("Local therapy plus systemic therapy: overall survival");
        assertThat(alert.at("/data/shiftTypes/0").asText()).isEqualTo("SIGNIFICANCE_FLIP");
        // The estimate just before is Study A's alone, which is also the conclusion shifts are judged against: named once.
        assertThat(alert.at("/data/summary").asText()).contains("since Study B 2023 was added; just before, it was 0.80 (95% CI 0.60 to 1.07, p = ")
                .doesNotContain("last shift")
                .contains("A new study showing HR 1.00 with a standard error of the log HR below");
        assertThat(alert.at("/data/before/k").asInt()).isEqualTo(1);
        assertThat(alert.at("/data/links/forestPlotBefore").asText()).endsWith("/estimates/1/plots/forest.svg");

        // What an integrator with an ordinary Kafka client sees: three estimates, each valid against its schema.
        try (TopicReader reader = new TopicReader(infrastructure.kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            List<TopicReader.ConsumedRecord> estimates = reader.await(3, r -> questionId.equals(r.key()), Duration.ofSeconds(30));
            assertThat(estimates).hasSize(3);
            for (TopicReader.ConsumedRecord r : estimates) {
                assertThat(r.headers()).containsEntry("ce_type", EventType.POOLED_ESTIMATE_COMPUTED.ceType())
                        .containsEntry("ce_subject", questionId);
                assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, EventJson.mapper().readTree(r.value()))).isEmpty();
            }
        }
    }

    // Last: the killed instance stays in the consumer group until its session times out (45 s), and the group's
    // consumption waits for that rebalance; tests after it would wait too.
    @Test
    @Order(Integer.MAX_VALUE)
    void killingNotifyServiceMidRetryLosesNothingAndTwoInstancesDuplicateNothing() throws Exception {
        try (WebhookReceiver flaky = new WebhookReceiver()) {
            flaky.respondWith(500, 500);
            String questionId = question("Restart test: local therapy, overall survival");
            JsonNode subscription = subscribe(questionId, flaky);
            String secret = subscription.get("secret").asText();
            addRecord(questionId, "Study A 2021", 0.80, 0.60, 1.07);
            awaitEstimate(questionId, 1);
            addRecord(questionId, "Study B 2023", 0.70, 0.55, 0.89);

            // The first attempt fails and is recorded; the service dies before its retry (3 s later) is due.
            String attempts = notify.baseUrl() + "/api/v1/subscriptions/" + subscription.get("id").asText() + "/deliveries";
            await().atMost(Duration.ofSeconds(60)).until(() -> flaky.received().size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(attempts).at("/0/attempts").size() == 1);
            notify.kill();
            // It comes back, and a second instance on the same database and consumer group joins it.
            notify = ServiceProcess.start(root, Service.NOTIFY, FreePort.pick(), notifyProperties, logs.resolve("notify-service-restarted.log"));
            try (ServiceProcess second = ServiceProcess.start(root, Service.NOTIFY, FreePort.pick(), notifyProperties,
                    logs.resolve("notify-service-second.log"))) {
                String log = notify.baseUrl() + "/api/v1/subscriptions/" + subscription.get("id").asText() + "/deliveries";
                await().atMost(Duration.ofSeconds(90)).until(() -> "DELIVERED".equals(get(log).at("/0/status").asText()));
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> flaky.received().size() == 3);

                JsonNode deliveries = get(log);
                assertThat(deliveries).hasSize(1);
                assertThat(deliveries.get(0).get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 500, 200);
                assertThat(flaky.received()).extracting(r -> r.headers().get("webhook-id")).containsOnly(deliveries.get(0).get("id").asText());
                assertThat(flaky.received()).allSatisfy(r -> assertThat(StandardWebhooksVerifier.verify(secret, r)).isTrue());
            }
        }
    }

    @Test
    void aReceiverThatAlwaysFailsEndsDeadLetteredAndVisibleInTheLog() throws Exception {
        try (WebhookReceiver broken = new WebhookReceiver()) {
            broken.respondWith(500, 502, 503, 500, 500);
            String questionId = question("Dead-letter test: local therapy, overall survival");
            JsonNode subscription = subscribe(questionId, broken);
            addRecord(questionId, "Study A 2021", 0.80, 0.60, 1.07);
            awaitEstimate(questionId, 1);
            addRecord(questionId, "Study B 2023", 0.70, 0.55, 0.89);

            String self = notify.baseUrl() + "/api/v1/subscriptions/" + subscription.get("id").asText();
            await().atMost(Duration.ofSeconds(90)).until(() -> "DEAD".equals(get(self + "/deliveries").at("/0/status").asText()));
            JsonNode dead = get(self + "/deliveries").get(0);
            assertThat(dead.get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 502, 503, 500, 500);
            assertThat(dead.get("attempts")).allSatisfy(a -> assertThat(a.get("latencyMs").asLong()).isNotNegative());
            assertThat(broken.received()).hasSize(5);
            // Flagged: one dead delivery so far; three in a row would disable it.
            assertThat(get(self).get("consecutiveDeadDeliveries").asInt()).isEqualTo(1);
            assertThat(get(self).get("status").asText()).isEqualTo("ACTIVE");
        }
    }

    private String question(String title) throws IOException, InterruptedException {
        return post(study.baseUrl() + "/api/v1/questions", """
                {"title": "%s",
                 "pico": {"population": "Metastatic breast cancer", "intervention": "Local therapy plus systemic therapy",
                          "comparator": "Systemic therapy alone", "outcome": "Overall survival"},
                 "effectMeasure": "HR", "benefitDirection": "LOWER"}""".formatted(title)).get("questionId").asText();
    }

    private JsonNode subscribe(String questionId, WebhookReceiver endpoint) throws IOException, InterruptedException {
        return post(notify.baseUrl() + "/api/v1/subscriptions",
                "{\"questionIds\": [\"" + questionId + "\"], \"webhook\": {\"url\": \"" + endpoint.url() + "\"}}");
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("authorization", "Bearer " + TestInfrastructure.ADMIN_API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " answered " + response.body()).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }

    private void addRecord(String questionId, String label, double hr, double lower, double upper) throws Exception {
        post(study.baseUrl() + "/api/v1/questions/" + questionId + "/outcome-records", String.format(java.util.Locale.ROOT,
                "{\"studyLabel\": \"%s\", \"reported\": {\"form\": \"RATIO_WITH_CI\", \"measure\": \"HR\", \"estimate\": %s, \"lower\": %s, \"upper\": %s, \"ciLevel\": 0.95}}",
                label, hr, lower, upper));
    }

    private void awaitEstimate(String questionId, long version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode estimate = estimate(questionId);
            return estimate != null && estimate.get("estimateVersion").asLong() >= version;
        });
    }

    private JsonNode estimate(String questionId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(analysis.baseUrl() + "/api/v1/questions/" + questionId + "/estimate")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? EventJson.mapper().readTree(response.body()) : null;
    }

    private JsonNode post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json").header("authorization", "Bearer " + TestInfrastructure.ADMIN_API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " answered " + response.body()).isEqualTo(201);
        return EventJson.mapper().readTree(response.body());
    }
}
