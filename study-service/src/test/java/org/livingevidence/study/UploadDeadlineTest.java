package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
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

/** An upload trickled in for longer than {@code evidence.imports.receive-within} is answered 408 and gives its place back. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadDeadlineTest implements RealInfrastructure {

    private static final String ROW = "{\"studyLabel\": \"Trial %d\", \"reported\": {\"form\": \"RATIO_WITH_P\", \"measure\": \"HR\", "
            + "\"estimate\": 0.8, \"pValue\": 0.04}}\n";

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of("evidence.imports.receive-within", "2s"));
    }

    private static byte[] chunk(String data) {
        return (Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUploadStillArrivingAfterItsTimeIsAnswered408AndStoresNothing() throws Exception {
        String questionId = TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/questions", """
                {"title": "Upload deadline", "effectMeasure": "HR", "benefitDirection": "LOWER",
                 "pico": {"population": "p", "intervention": "i", "comparator": "c", "outcome": "o"}}""")
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY))).get("questionId").asText();
        try (Socket trickling = new Socket("localhost", server.getPort())) {
            OutputStream out = trickling.getOutputStream();
            out.write(("POST /api/v1/questions/" + questionId + "/outcome-records/import HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TestInfrastructure.ADMIN_API_KEY + "\r\nContent-Type: application/x-ndjson\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(chunk(String.format(ROW, 1)));
            out.flush();
            Thread.sleep(2_500);
            out.write(chunk(String.format(ROW, 2)));
            out.flush();

            // The answer, read until its problem's last field: the server keeps the connection (the body never ended).
            trickling.setSoTimeout(15_000);
            InputStreamReader answer = new InputStreamReader(trickling.getInputStream(), StandardCharsets.UTF_8);
            StringBuilder read = new StringBuilder();
            for (int c = answer.read(); c >= 0 && !read.toString().contains("\"field\":\"body\""); c = answer.read()) {
                read.append((char) c);
            }
            assertThat(read.toString()).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("request-timeout");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("evidence.imports.uploads.in.progress").gauge().value() == 0);
        assertThat(TestJson.parse(http.toBlocking().retrieve(HttpRequest.GET("/api/v1/questions/" + questionId + "/outcome-records")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY))).toString()).doesNotContain("Trial 1");
    }
}
