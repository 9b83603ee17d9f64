package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;

/**
 * Uploads beyond {@code evidence.imports.concurrent-uploads} are turned away at once with 429, and never hold the
 * request threads a curator's record needs. One place here; an upload whose body has not all arrived holds it (for at
 * most {@code evidence.imports.receive-within}, 60 s here, so that it outlasts what is tested meanwhile;
 * {@link UploadDeadlineTest} tests that bound).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadAdmissionTest implements RealInfrastructure {

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of("evidence.imports.concurrent-uploads", "1", "evidence.imports.receive-within", "60s"));
    }

    private String newQuestion() {
        return UploadSockets.newQuestion(http);
    }

    private HttpResponse<String> upload(String questionId, String rows) {
        return UploadSockets.upload(http, questionId, rows);
    }

    private double inProgress() {
        return UploadSockets.inProgress(registry);
    }

    @Test
    void anUploadBeyondThePlacesIsTurnedAwayAtOnceWhileACuratorsRecordAndAnUnauthenticatedUploadAreNot() throws Exception {
        String questionId = newQuestion();
        try (Socket slow = new Socket("localhost", server.getPort())) {
            // An upload whose body is still arriving: chunked, its last chunk not sent yet.
            OutputStream out = slow.getOutputStream();
            UploadSockets.sendHeadersAndFirstRow(out, questionId);
            await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 1);

            HttpClientResponseException refused = catchThrowableOfType(HttpClientResponseException.class,
                    () -> upload(questionId, String.format(UploadSockets.ROW, 2)));
            assertThat(refused.getStatus().getCode()).isEqualTo(429);
            String retryAfter = refused.getResponse().header("Retry-After");
            assertThat(retryAfter).isIn("2", "3", "4");
            assertThat(refused.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            JsonNode problem = TestJson.parse(refused.getResponse().getBody(String.class).orElseThrow());
            assertThat(problem.at("/errors/0/field").asText()).isEqualTo("body");
            assertThat(problem.at("/detail").asText()).contains("retry in " + retryAfter + " seconds");

            HttpResponse<String> record = http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                    String.format(UploadSockets.ROW, 3)).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
            assertThat(record.getStatus().getCode()).isEqualTo(201);

            // The router takes the path with a trailing slash as the same endpoint: so does the bound.
            HttpClientResponseException slashed = catchThrowableOfType(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import/",
                            String.format(UploadSockets.ROW, 2)).contentType("application/x-ndjson").bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class));
            assertThat(slashed.getStatus().getCode()).isEqualTo(429);

            // A request no endpoint takes (a media type the import does not read) is not an upload and takes no place.
            HttpClientResponseException unreadable = catchThrowableOfType(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import",
                            "%PDF").contentType("application/pdf"), String.class));
            assertThat(unreadable.getStatus().getCode()).isNotEqualTo(429);

            // Security answers first: a request without a key takes no place and is told why it is refused.
            HttpClientResponseException anonymous = catchThrowableOfType(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import",
                            String.format(UploadSockets.ROW, 4)).contentType("application/x-ndjson"), String.class));
            assertThat(anonymous.getStatus().getCode()).isEqualTo(401);

            out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 0);
        assertThat(TestJson.parse(upload(questionId, String.format(UploadSockets.ROW, 5)).body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(registry.get("evidence.imports.uploads.turned.away").counter().count()).isEqualTo(2);
    }

    @Test
    void anUploadWhoseClientGoesAwayMidBodyGivesItsPlaceBack() throws Exception {
        String questionId = newQuestion();
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Socket gone = new Socket("localhost", server.getPort())) {
                UploadSockets.sendHeadersAndFirstRow(gone.getOutputStream(), questionId);
                await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 1);
            }
            // Otherwise a few clients that hang up would leave every later upload turned away.
            await().atMost(Duration.ofSeconds(30)).until(() -> inProgress() == 0);
        }
        assertThat(TestJson.parse(upload(questionId, String.format(UploadSockets.ROW, 9)).body()).get("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void anUploadRefusedByItsEndpointGivesItsPlaceBack() {
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpClientResponseException missing = catchThrowableOfType(HttpClientResponseException.class,
                    () -> upload("q_0000000000000000", String.format(UploadSockets.ROW, 1)));
            assertThat(missing.getStatus().getCode()).as("attempt %d", attempt).isEqualTo(404);
        }
        assertThat(inProgress()).isZero();
    }
}
