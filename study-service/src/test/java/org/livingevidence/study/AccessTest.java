package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TestJwts;
import org.livingevidence.testing.TopicReader;

/** Who gets in: every JWT defect is refused, and API keys have a lifecycle (issue, list, expire, revoke). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest implements RealInfrastructure {

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of(
                "evidence.security.usage-report-interval", "500ms"));
    }

    private HttpResponse<String> exchange(MutableHttpRequest<?> request) {
        return http.toBlocking().exchange(request.contentType(MediaType.APPLICATION_JSON_TYPE), String.class);
    }

    private int status(MutableHttpRequest<?> request) {
        try {
            return exchange(request).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    private JsonNode problem(MutableHttpRequest<?> request, int expected) {
        try {
            exchange(request);
            throw new AssertionError("expected " + expected);
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).as(e.getResponse().getBody(String.class).orElse("")).isEqualTo(expected);
            assertThat(e.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            return TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
        }
    }

    private JsonNode issue(String json) {
        return TestJson.parse(exchange(HttpRequest.POST("/api/v1/api-keys", json).bearerAuth(TestInfrastructure.ADMIN_API_KEY)).body());
    }

    @Test
    void theUnsignedAdminTokenOfTheIncidentIsRefused() {
        String none = TestJwts.defects().get("unsigned (alg none)");
        JsonNode refused = problem(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"x\", \"roles\": [\"ADMIN\"]}").bearerAuth(none), 401);
        assertThat(refused.get("type").asText()).endsWith("/unauthenticated");
    }

    @Test
    void everyJwtDefectIsRefusedWith401EvenWhereReadsAreOpen() {
        TestJwts.defects().forEach((defect, token) -> {
            assertThat(status(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"x\", \"roles\": [\"ADMIN\"]}").bearerAuth(token)))
                    .as(defect).isEqualTo(401);
            assertThat(status(HttpRequest.GET("/api/v1/questions").bearerAuth(token))).as(defect + " on an open read").isEqualTo(401);
        });
        // The same claims, properly signed, get in: the defect alone was refused.
        assertThat(status(HttpRequest.GET("/api/v1/api-keys").bearerAuth(TestJwts.valid("x", List.of("ADMIN"))))).isEqualTo(200);
    }

    @Test
    void aKeyIsIssuedOnceListedWithoutItsSecretAndRevoked() {
        JsonNode issued = issue("{\"name\": \"dr-lifecycle\", \"roles\": [\"CURATOR\", \"READER\"]}");
        String key = issued.get("apiKey").asText();
        String keyId = issued.get("keyId").asText();
        assertThat(status(HttpRequest.GET("/api/v1/questions").bearerAuth(key))).isEqualTo(200);

        JsonNode listed = TestJson.parse(exchange(HttpRequest.GET("/api/v1/api-keys").bearerAuth(TestInfrastructure.ADMIN_API_KEY)).body());
        JsonNode mine = null;
        for (JsonNode k : listed) {
            assertThat(k.has("apiKey")).isFalse();
            assertThat(k.toString()).doesNotContain(key).doesNotContain(key.substring(4));
            if (k.get("keyId").asText().equals(keyId)) {
                mine = k;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(mine.get("issuedBy").asText()).isEqualTo("key:bootstrap");
        assertThat(listed.get(0).get("source").asText()).isEqualTo("CONFIGURATION");

        // Every service reports use on evidence.api-key-usage.v1; the listing shows the latest.
        await().atMost(Duration.ofSeconds(20)).until(() -> TestJson.parse(exchange(HttpRequest.GET("/api/v1/api-keys/" + keyId)
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY)).body()).hasNonNull("lastUsedAt"));

        JsonNode revoked = TestJson.parse(exchange(HttpRequest.POST("/api/v1/api-keys/" + keyId + "/revocation", "{}")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY)).body());
        assertThat(revoked.get("status").asText()).isEqualTo("REVOKED");
        assertThat(revoked.get("revokedBy").asText()).isEqualTo("key:bootstrap");
        assertThat(problem(HttpRequest.GET("/api/v1/questions").bearerAuth(key), 401).get("status").asInt()).isEqualTo(401);
        problem(HttpRequest.POST("/api/v1/api-keys/" + keyId + "/revocation", "{}").bearerAuth(TestInfrastructure.ADMIN_API_KEY), 409);
        problem(HttpRequest.POST("/api/v1/api-keys/bootstrap/revocation", "{}").bearerAuth(TestInfrastructure.ADMIN_API_KEY), 409);

        // What the other services read: both revisions, valid against the contract, and no key in them.
        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.API_KEYS)) {
            List<TopicReader.ConsumedRecord> events = reader.await(2, r -> keyId.equals(r.key()), Duration.ofSeconds(30));
            assertThat(events).extracting(r -> TestJson.parse(r.value()).get("status").asText()).containsExactly("ACTIVE", "REVOKED");
            events.forEach(r -> {
                assertThat(r.value()).doesNotContain(key.substring(4));
                assertThat(EventSchemas.violations(EventType.API_KEY_REVISED, TestJson.parse(r.value()))).isEmpty();
            });
        }
    }

    @Test
    void keyNamesAreUniqueAndAnExpiredKeyIsRefused() throws Exception {
        issue("{\"name\": \"dr-unique\", \"roles\": [\"CURATOR\"]}");
        JsonNode taken = problem(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"dr-unique\", \"roles\": [\"READER\"]}")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), 409);
        assertThat(taken.at("/errors/0/field").asText()).isEqualTo("name");
        JsonNode past = problem(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"dr-past\", \"roles\": [\"READER\"], \"expiresAt\": \"2020-01-01T00:00:00Z\"}")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), 422);
        assertThat(past.at("/errors/0/field").asText()).isEqualTo("expiresAt");
        JsonNode noRole = problem(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"dr-none\", \"roles\": [\"OWNER\"]}")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), 400);
        assertThat(noRole.at("/errors/0/field").asText()).startsWith("roles");

        String soon = EventJson.mapper().writeValueAsString(Instant.now().plusSeconds(2).toString());
        String key = issue("{\"name\": \"dr-brief\", \"roles\": [\"READER\"], \"expiresAt\": " + soon + "}").get("apiKey").asText();
        assertThat(status(HttpRequest.GET("/api/v1/questions").bearerAuth(key))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(HttpRequest.GET("/api/v1/questions").bearerAuth(key)) == 401);
    }

    @Test
    void onlyAdministratorsManageKeys() {
        String curator = issue("{\"name\": \"dr-not-admin\", \"roles\": [\"CURATOR\"]}").get("apiKey").asText();
        problem(HttpRequest.GET("/api/v1/api-keys").bearerAuth(curator), 403);
        problem(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"x2\", \"roles\": [\"ADMIN\"]}").bearerAuth(curator), 403);
        problem(HttpRequest.GET("/api/v1/api-keys"), 401);
    }
}
