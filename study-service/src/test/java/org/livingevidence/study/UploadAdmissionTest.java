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
 * request threads a curator's record needs. One place here; an upload whose body has not all arrived holds it, until
 * more of it arrives after {@code evidence.imports.receive-within} (2 s here).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadAdmissionTest implements RealInfrastructure {

    private static final String QUESTION = """
            {"title": "Upload admission", "effectMeasure": "HR", "benefitDirection": "LOWER",
             "pico": {"population": "p", "intervention": "i", "comparator": "c", "outcome": "o"}}""";
    private static final String ROW = "{\"studyLabel\": \"Trial %d\", \"reported\": {\"form\": \"RATIO_WITH_P\", \"measure\": \"HR\", "
            + "\"estimate\": 0.8, \"pValue\": 0.04}}";

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of("evidence.imports.concurrent-uploads", "1", "evidence.imports.receive-within", "2s"));
    }

    private String newQuestion() {
        return TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/questions", QUESTION)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY))).get("questionId").asText();
    }

    private HttpResponse<String> upload(String questionId, String rows) {
        return http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import", rows)
                .contentType("application/x-ndjson").bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    private double inProgress() {
        return registry.get("evidence.imports.uploads.in.progress").gauge().value();
    }

    @Test
    void anUploadBeyondThePlacesIsTurnedAwayAtOnceWhileACuratorsRecordAndAnUnauthenticatedUploadAreNot() throws Exception {
        String questionId = newQuestion();
        try (Socket slow = new Socket("localhost", server.getPort())) {
            // An upload whose body is still arriving: chunked, its last chunk not sent yet.
            OutputStream out = slow.getOutputStream();
            sendHeadersAndFirstRow(out, questionId);
            await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 1);

            HttpClientResponseException refused = catchThrowableOfType(HttpClientResponseException.class,
                    () -> upload(questionId, String.format(ROW, 2)));
            assertThat(refused.getStatus().getCode()).isEqualTo(429);
            String retryAfter = refused.getResponse().header("Retry-After");
            assertThat(retryAfter).isIn("2", "3", "4");
            assertThat(refused.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            JsonNode problem = TestJson.parse(refused.getResponse().getBody(String.class).orElseThrow());
            assertThat(problem.at("/errors/0/field").asText()).isEqualTo("body");
            assertThat(problem.at("/detail").asText()).contains("retry in " + retryAfter + " seconds");

            HttpResponse<String> record = http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                    String.format(ROW, 3)).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
            assertThat(record.getStatus().getCode()).isEqualTo(201);

            // The router takes the path with a trailing slash as the same endpoint: so does the bound.
            HttpClientResponseException slashed = catchThrowableOfType(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import/",
                            String.format(ROW, 2)).contentType("application/x-ndjson").bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class));
            assertThat(slashed.getStatus().getCode()).isEqualTo(429);

            // A request no endpoint takes (a media type the import does not read) is not an upload and takes no place.
            HttpClientResponseException unreadable = catchThrowableOfType(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import",
                            "%PDF").contentType("application/pdf"), String.class));
            assertThat(unreadable.getStatus().getCode()).isNotEqualTo(429);

            // Security answers first: a request without a key takes no place and is told why it is refused.
            HttpClientResponseException anonymous = catchThrowableOfType(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import",
                            String.format(ROW, 4)).contentType("application/x-ndjson"), String.class));
            assertThat(anonymous.getStatus().getCode()).isEqualTo(401);

            out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 0);
        assertThat(TestJson.parse(upload(questionId, String.format(ROW, 5)).body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(registry.get("evidence.imports.uploads.turned.away").counter().count()).isEqualTo(2);
    }

    @Test
    void anUploadWhoseClientGoesAwayMidBodyGivesItsPlaceBack() throws Exception {
        String questionId = newQuestion();
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Socket gone = new Socket("localhost", server.getPort())) {
                sendHeadersAndFirstRow(gone.getOutputStream(), questionId);
                await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 1);
            }
            // Otherwise a few clients that hang up would leave every later upload turned away.
            await().atMost(Duration.ofSeconds(30)).until(() -> inProgress() == 0);
        }
        assertThat(TestJson.parse(upload(questionId, String.format(ROW, 9)).body()).get("accepted").asInt()).isEqualTo(1);
    }

    /** An upload's headers and its first chunk, the rest not sent yet. */
    private static void sendHeadersAndFirstRow(OutputStream out, String questionId) throws java.io.IOException {
        out.write(("POST /api/v1/questions/" + questionId + "/outcome-records/import HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + TestInfrastructure.ADMIN_API_KEY + "\r\nContent-Type: application/x-ndjson\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        sendRow(out, 1);
    }

    private static void sendRow(OutputStream out, int n) throws java.io.IOException {
        String row = String.format(ROW, n) + "\n";
        out.write((Integer.toHexString(row.length()) + "\r\n" + row + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void anUploadStillArrivingAfterItsTimeIsAnswered408StoresNothingAndGivesItsPlaceBack() throws Exception {
        String questionId = newQuestion();
        try (Socket trickling = new Socket("localhost", server.getPort())) {
            sendHeadersAndFirstRow(trickling.getOutputStream(), questionId);
            Thread.sleep(2_500);
            sendRow(trickling.getOutputStream(), 2);

            // The answer, read until its problem's last field: the server keeps the connection (the body never ended).
            trickling.setSoTimeout(15_000);
            InputStreamReader answer = new InputStreamReader(trickling.getInputStream(), StandardCharsets.UTF_8);
            StringBuilder read = new StringBuilder();
            for (int c = answer.read(); c >= 0 && !read.toString().contains("\"field\":\"body\""); c = answer.read()) {
                read.append((char) c);
            }
            assertThat(read.toString()).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("request-timeout");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == 0);
        assertThat(http.toBlocking().retrieve(HttpRequest.GET("/api/v1/questions/" + questionId + "/outcome-records")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY))).doesNotContain("Trial 1");
    }

    @Test
    void anUploadRefusedByItsEndpointGivesItsPlaceBack() {
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpClientResponseException missing = catchThrowableOfType(HttpClientResponseException.class,
                    () -> upload("q_0000000000000000", String.format(ROW, 1)));
            assertThat(missing.getStatus().getCode()).as("attempt %d", attempt).isEqualTo(404);
        }
        assertThat(inProgress()).isZero();
    }
}
