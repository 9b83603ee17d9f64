package org.livingevidence.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.alerts.AlertSchema;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.testing.EventPublisher;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.StandardWebhooksVerifier;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TestJwts;
import org.livingevidence.testing.TestKeys;
import org.livingevidence.testing.WebhookReceiver;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifyServiceTest implements RealInfrastructure {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    com.mongodb.client.MongoDatabase database;

    private EventPublisher events;
    private WebhookReceiver receiver;
    private String alice;
    private String bob;
    private TestKeys.IssuedKey aliceKey;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of(
                "kafka.consumer-group", "notify-" + UUID.randomUUID(),
                "evidence.delivery.retry-delays", "200ms,200ms",
                "evidence.delivery.poll-interval", "100ms",
                "evidence.delivery.disable-after-dead-deliveries", "2",
                "evidence.delivery.request-timeout", "1s",
                "evidence.delivery.attempt-deadline", "3s"));
    }

    @BeforeAll
    void start() {
        events = new EventPublisher(infrastructure().kafkaBootstrapServers());
        receiver = new WebhookReceiver();
        aliceKey = Subscribers.issue(http, "alice");
        alice = aliceKey.apiKey();
        bob = Subscribers.issueKey(http, "bob");
    }

    @AfterAll
    void stop() {
        events.close();
        receiver.close();
    }

    private JsonNode subscribe(String json) {
        return TestJson.parse(http.toBlocking().retrieve(
                HttpRequest.POST("/api/v1/subscriptions", json).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(alice)));
    }

    private JsonNode get(String uri, String key) {
        return TestJson.parse(http.toBlocking().retrieve(HttpRequest.GET(uri).bearerAuth(key)));
    }

    private int status(HttpRequest<?> request) {
        try {
            return http.toBlocking().exchange(request, String.class).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aRedeliveredShiftIsAlertedOnceWithAValidSignatureAfterTheReceiverRecovers() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode subscription = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
        String secret = subscription.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        receiver.respondWith(500);

        ConclusionShifted shift = Shifts.significanceFlip(q);
        events.publish(shift, q, "event-1");
        events.publish(shift, q, "event-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
                .filter(r -> r.body().contains(q)).count() >= 2);
        List<WebhookReceiver.Received> mine = receiver.received().stream().filter(r -> r.body().contains(q)).toList();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                receiver.received().stream().filter(r -> r.body().contains(q)).count() == 2);
        assertThat(mine).allSatisfy(r -> assertThat(StandardWebhooksVerifier.verify(secret, r)).isTrue());
        assertThat(mine.get(0).headers().get("webhook-id")).isEqualTo(mine.get(1).headers().get("webhook-id"));
        assertThat(StandardWebhooksVerifier.verify("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), mine.get(1))).isFalse();
        JsonNode body = TestJson.parse(mine.get(1).body());
        assertThat(body.get("type").asText()).isEqualTo("conclusion.shifted");
        assertThat(AlertSchema.violations(body)).isEmpty();
        assertThat(body.at("/data/summary").asText()).isEqualTo(Shifts.SUMMARY);
        assertThat(body.at("/data/links/estimate").asText()).endsWith("/api/v1/questions/" + q + "/estimate");
        // The webhook links the estimate version it announces and the forest plots of it and the version before.
        assertThat(body.at("/data/links/version").asText()).endsWith("/api/v1/questions/" + q + "/estimates/2");
        assertThat(body.at("/data/links/forestPlot").asText()).endsWith("/api/v1/questions/" + q + "/estimates/2/plots/forest.svg");
        assertThat(body.at("/data/links/forestPlotBefore").asText()).endsWith("/api/v1/questions/" + q + "/estimates/1/plots/forest.svg");
        assertThat(body.at("/data/links/record").asText()).endsWith("/api/v1/outcome-records/r_b");
        assertThat(body.at("/data/links/history").asText()).endsWith("/feeds/questions/" + q);
        assertThat(body.at("/data/trigger/label").asText()).isEqualTo("Study B");

        JsonNode log = get("/api/v1/subscriptions/" + subscription.get("id").asText() + "/deliveries", alice);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(log.get(0).get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 200);
    }

    @Test
    void aSubscriptionThatDoesNotWantTheShiftTypeGetsNothing() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        subscribe("{\"questionIds\": [\"" + q + "\"], \"shiftTypes\": [\"DIRECTION_CHANGE\"], \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
        try (WebhookReceiver wanting = new WebhookReceiver()) {
            // The positive control: the same shift reaches a subscription that wants its type.
            subscribe("{\"questionIds\": [\"" + q + "\"], \"shiftTypes\": [\"SIGNIFICANCE_FLIP\"], \"webhook\": {\"url\": \"" + wanting.url() + "\"}}");

            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(30)).until(() -> wanting.received().stream().anyMatch(r -> r.body().contains(q)));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    receiver.received().stream().noneMatch(r -> r.body().contains(q)));
        }
    }

    private JsonNode deliveries(String subscriptionId) {
        return get("/api/v1/subscriptions/" + subscriptionId + "/deliveries", alice);
    }

    private JsonNode subscription(String subscriptionId) {
        return get("/api/v1/subscriptions/" + subscriptionId, alice);
    }

    @Test
    void anEndpointAnswering410IsDisabled() {
        try (WebhookReceiver gone = new WebhookReceiver()) {
            gone.respondWith(410);
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            String id = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + gone.url() + "\"}}").get("id").asText();

            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(30)).until(() -> "DISABLED".equals(subscription(id).get("status").asText()));
            assertThat(subscription(id).get("disabledReason").asText()).contains("410");
            JsonNode log = deliveries(id);
            assertThat(log.get(0).get("status").asText()).isEqualTo("DEAD");
            assertThat(log.get(0).get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(410);
        }
    }

    @Test
    void aReceiverThatAlwaysFailsIsDeadLetteredVisiblyAndRepeatedDeathsDisableIt() {
        try (WebhookReceiver broken = new WebhookReceiver()) {
            broken.respondWith(500, 500, 500, 502, 502, 502);
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            String id = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + broken.url() + "\"}}").get("id").asText();

            events.publish(Shifts.significanceFlip(q, 2), q);
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(id).size() == 1
                    && "DEAD".equals(deliveries(id).get(0).get("status").asText()));
            assertThat(deliveries(id).get(0).get("attempts")).hasSize(3);
            assertThat(subscription(id).get("status").asText()).isEqualTo("ACTIVE");
            assertThat(subscription(id).get("consecutiveDeadDeliveries").asInt()).isEqualTo(1);

            events.publish(Shifts.significanceFlip(q, 3), q);
            await().atMost(Duration.ofSeconds(30)).until(() -> "DISABLED".equals(subscription(id).get("status").asText()));
            assertThat(subscription(id).get("disabledReason").asText()).contains("2 deliveries in a row");
            assertThat(broken.received()).hasSize(6);
        }
    }

    @Test
    void aDeadDeliveryCanBeSentAgainWithTheSameWebhookId() {
        try (WebhookReceiver flaky = new WebhookReceiver()) {
            flaky.respondWith(500, 500, 500);
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            String id = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + flaky.url() + "\"}}").get("id").asText();
            events.publish(Shifts.significanceFlip(q), q);
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(id).size() == 1
                    && "DEAD".equals(deliveries(id).get(0).get("status").asText()));
            String deliveryId = deliveries(id).get(0).get("id").asText();

            JsonNode queued = TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST(
                    "/api/v1/subscriptions/" + id + "/deliveries/redeliver-failed?from=2000-01-01T00:00:00Z", "").bearerAuth(alice)));
            assertThat(queued).extracting(d -> d.get("id").asText()).containsExactly(deliveryId);

            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(deliveries(id).get(0).get("status").asText()));
            assertThat(flaky.received()).hasSize(4);
            assertThat(flaky.received()).extracting(r -> r.headers().get("webhook-id")).containsOnly(deliveryId);
            assertThat(deliveries(id).get(0).get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 500, 500, 200);

            try {
                http.toBlocking().retrieve(HttpRequest.POST("/api/v1/subscriptions/" + id + "/deliveries/nope/redeliver", "").bearerAuth(alice));
                throw new AssertionError("expected 404");
            } catch (HttpClientResponseException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheSchedule() {
        try (WebhookReceiver busy = new WebhookReceiver()) {
            busy.respondWithRetryAfter(503, 2);
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            String id = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + busy.url() + "\"}}").get("id").asText();

            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(30)).until(() -> busy.received().size() == 2);
            Duration waited = Duration.between(busy.received().get(0).at(), busy.received().get(1).at());
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(deliveries(id).get(0).get("status").asText()));
            assertThat(deliveries(id).get(0).at("/attempts/0/retryAfterSeconds").asLong()).isEqualTo(2);
        }
    }

    @Test
    void invalidSubscriptionsAreRefusedNamingTheField() {
        try {
            http.toBlocking().retrieve(HttpRequest.POST("/api/v1/subscriptions",
                    "{\"questionIds\": [], \"webhook\": {\"url\": \"ftp://example\"}}").contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(alice));
            throw new AssertionError("expected 422");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(422);
            JsonNode problem = TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
            assertThat(problem.get("errors")).extracting(x -> x.get("field").asText()).containsExactlyInAnyOrder("questionIds", "webhook.url");
        }
    }

    @Test
    void redirectsAreNotFollowedAndAHangingReceiverTimesOut() {
        try (WebhookReceiver redirecting = new WebhookReceiver(); WebhookReceiver elsewhere = new WebhookReceiver()) {
            redirecting.redirectTo(elsewhere.url());
            redirecting.answerAfter(3_000);
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            String id = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + redirecting.url() + "\"}}").get("id").asText();

            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(id).size() == 1
                    && "DELIVERED".equals(deliveries(id).get(0).get("status").asText()));
            JsonNode attempts = deliveries(id).get(0).get("attempts");
            assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(307);
            assertThat(attempts.get(1).has("statusCode")).isFalse();
            assertThat(attempts.get(1).get("error").asText()).containsIgnoringCase("timeout");
            assertThat(attempts.get(2).get("statusCode").asInt()).isEqualTo(200);
            assertThat(elsewhere.received()).isEmpty();
        }
    }

    @Test
    void aReceiverThatTricklesItsAnswerHoldsUpNoOtherSubscriber() {
        try (WebhookReceiver trickling = new WebhookReceiver(); WebhookReceiver healthy = new WebhookReceiver()) {
            trickling.trickleEvery(500);
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + trickling.url() + "\"}}");
            String slow = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + trickling.url() + "\"}}").get("id").asText();
            subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + healthy.url() + "\"}}");

            long published = System.nanoTime();
            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(10)).until(() -> healthy.received().size() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(Duration.ofSeconds(10));
            // The trickling receiver's attempt is cut at the deadline and retried later, like any failure.
            await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/v1/subscriptions/" + slow + "/deliveries", alice)
                    .at("/0/attempts/0/error").asText().contains("deadline"));
        }
    }

    @Test
    void everyJwtDefectIsRefusedWith401() {
        TestJwts.defects().forEach((defect, token) -> {
            assertThat(status(HttpRequest.GET("/api/v1/subscriptions").bearerAuth(token))).as(defect).isEqualTo(401);
            assertThat(status(HttpRequest.POST("/api/v1/subscriptions", "{}").contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(token))).as(defect).isEqualTo(401);
        });
        assertThat(status(HttpRequest.GET("/api/v1/subscriptions").bearerAuth(TestJwts.valid("sam", List.of("SUBSCRIBER"))))).isEqualTo(200);
        assertThat(status(HttpRequest.POST("/api/v1/api-keys", "{}").contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY))).as("keys are issued by study-service only").isEqualTo(404);
    }

    @Test
    void aDatabaseDumpRevealsNoWebhookSecret() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
        String id = created.get("id").asText();
        String secret = created.get("secret").asText();
        String rotated = TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/subscriptions/" + id + "/secret-rotation", "")
                .bearerAuth(alice))).get("secret").asText();

        org.bson.Document stored = database.getCollection("subscriptions").find(com.mongodb.client.model.Filters.eq("_id", id)).first();
        assertThat(stored.toJson()).doesNotContain(secret.substring(6)).doesNotContain(rotated.substring(6));
        assertThat(stored.getString("secret")).startsWith("v1:test1:");
        assertThat(stored.getString("previousSecret")).startsWith("v1:test1:");
        // A ciphertext moved to another subscription does not decrypt there: it is bound to its record and field.
        assertThat(stored.getString("secret")).isNotEqualTo(stored.getString("previousSecret"));
    }

    @Test
    void subscribersSeeAndManageOnlyTheirOwnSubscriptions() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        String id = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + receiver.url() + "\"}}").get("id").asText();

        assertThat(get("/api/v1/subscriptions/" + id, alice).get("owner").asText()).isEqualTo(aliceKey.principalId());
        assertThat(get("/api/v1/subscriptions/" + id, alice).has("secret")).isFalse();
        assertThat(get("/api/v1/subscriptions", alice)).extracting(s -> s.get("id").asText()).contains(id);
        assertThat(get("/api/v1/subscriptions", bob)).extracting(s -> s.get("id").asText()).doesNotContain(id);
        assertThat(status(HttpRequest.GET("/api/v1/subscriptions/" + id).bearerAuth(bob))).isEqualTo(404);
        assertThat(status(HttpRequest.GET("/api/v1/subscriptions/" + id + "/deliveries").bearerAuth(bob))).isEqualTo(404);
        assertThat(status(HttpRequest.POST("/api/v1/subscriptions/" + id + "/secret-rotation", "").bearerAuth(bob))).isEqualTo(404);
        assertThat(status(HttpRequest.DELETE("/api/v1/subscriptions/" + id).bearerAuth(bob))).isEqualTo(404);
        assertThat(status(HttpRequest.GET("/api/v1/subscriptions/" + id))).isEqualTo(401);
        assertThat(status(HttpRequest.POST("/api/v1/subscriptions", "{}").contentType(MediaType.APPLICATION_JSON_TYPE))).isEqualTo(401);
        assertThat(get("/api/v1/subscriptions/" + id, TestInfrastructure.ADMIN_API_KEY).get("id").asText()).isEqualTo(id);

        // Ownership is the key, not its name: a JWT whose subject is alice's key name manages nothing of hers.
        String namesake = TestJwts.valid(get("/api/v1/subscriptions/" + id, alice).get("owner").asText(), List.of("SUBSCRIBER"));
        assertThat(status(HttpRequest.GET("/api/v1/subscriptions/" + id).bearerAuth(namesake))).isEqualTo(404);
        assertThat(status(HttpRequest.DELETE("/api/v1/subscriptions/" + id).bearerAuth(namesake))).isEqualTo(404);

        assertThat(status(HttpRequest.DELETE("/api/v1/subscriptions/" + id).bearerAuth(alice))).isEqualTo(204);
        assertThat(get("/api/v1/subscriptions/" + id, alice).get("status").asText()).isEqualTo("DISABLED");
    }

    @Test
    void aRotatedSecretSignsAlongsideTheOldOneDuringTheOverlap() {
        try (WebhookReceiver rotating = new WebhookReceiver()) {
            String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode created = subscribe("{\"questionIds\": [\"" + q + "\"], \"webhook\": {\"url\": \"" + rotating.url() + "\"}}");
            String id = created.get("id").asText();
            String oldSecret = created.get("secret").asText();

            JsonNode rotated = TestJson.parse(http.toBlocking().retrieve(
                    HttpRequest.POST("/api/v1/subscriptions/" + id + "/secret-rotation", "").bearerAuth(alice)));
            String newSecret = rotated.get("secret").asText();
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
            assertThat(Instant.parse(rotated.get("previousSecretExpiresAt").asText())).isAfter(Instant.now().plus(Duration.ofHours(23)));
            assertThat(get("/api/v1/subscriptions/" + id, alice).has("secret")).isFalse();

            events.publish(Shifts.significanceFlip(q), q);

            await().atMost(Duration.ofSeconds(30)).until(() -> rotating.received().size() == 1);
            WebhookReceiver.Received alert = rotating.received().get(0);
            assertThat(alert.headers().get("webhook-signature").split(" ")).hasSize(2);
            assertThat(StandardWebhooksVerifier.verify(newSecret, alert)).isTrue();
            assertThat(StandardWebhooksVerifier.verify(oldSecret, alert)).isTrue();
        }
    }

    @Test
    void webhookUrlsThatReachPrivateOrMetadataAddressesAreRefused() {
        for (String url : List.of("http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data", "http://192.168.0.10:8080/x",
                "http://[fd00::1]/hook", "http://no-such-host.invalid/hook")) {
            try {
                subscribe("{\"questionIds\": [\"q\"], \"webhook\": {\"url\": \"" + url + "\"}}");
                throw new AssertionError("expected 422 for " + url);
            } catch (HttpClientResponseException e) {
                assertThat(e.getStatus().getCode()).as(url).isEqualTo(422);
                JsonNode problem = TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
                assertThat(problem.at("/errors/0/field").asText()).isEqualTo("webhook.url");
            }
        }
    }

    @Test
    void theOpenApiDocumentIsGeneratedFromTheCodeAndServedWithSwaggerUi() {
        String openApi = http.toBlocking().retrieve("/swagger/notify-service-openapi.yml");
        assertThat(openApi).contains("/api/v1/subscriptions/{id}/secret-rotation", "/feeds/questions/{questionId}",
                "/api/v1/subscriptions/{subscriptionId}/deliveries/redeliver-failed");
        assertThat(http.toBlocking().retrieve("/swagger-ui/index.html")).contains("notify-service-openapi.yml");
    }
}
