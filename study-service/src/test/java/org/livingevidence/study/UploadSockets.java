package org.livingevidence.study;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;

/** Uploads sent by hand over a socket, a chunk at a time, for the tests of upload places and deadlines. */
final class UploadSockets {

    static final String QUESTION = """
            {"title": "Upload admission", "effectMeasure": "HR", "benefitDirection": "LOWER",
             "pico": {"population": "p", "intervention": "i", "comparator": "c", "outcome": "o"}}""";
    static final String ROW = "{\"studyLabel\": \"Trial %d\", \"reported\": {\"form\": \"RATIO_WITH_P\", \"measure\": \"HR\", "
            + "\"estimate\": 0.8, \"pValue\": 0.04}}";

    private UploadSockets() {
    }

    static String newQuestion(HttpClient http) {
        return TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/questions", QUESTION)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY))).get("questionId").asText();
    }

    static HttpResponse<String> upload(HttpClient http, String questionId, String rows) {
        return http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import", rows)
                .contentType("application/x-ndjson").bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    static double inProgress(MeterRegistry registry) {
        return registry.get("evidence.imports.uploads.in.progress").gauge().value();
    }

    /** An upload's headers and its first chunk, the rest not sent yet. */
    static void sendHeadersAndFirstRow(OutputStream out, String questionId) throws java.io.IOException {
        out.write(("POST /api/v1/questions/" + questionId + "/outcome-records/import HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + TestInfrastructure.ADMIN_API_KEY + "\r\nContent-Type: application/x-ndjson\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        sendRow(out, 1);
    }

    static void sendRow(OutputStream out, int n) throws java.io.IOException {
        String row = String.format(ROW, n) + "\n";
        out.write((Integer.toHexString(row.length()) + "\r\n" + row + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The answer on {@code socket}, read until its problem's last field: the server keeps the connection (the body never ended). */
    static String answerOf(Socket socket) throws java.io.IOException {
        InputStreamReader answer = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
        StringBuilder read = new StringBuilder();
        for (int c = answer.read(); c >= 0 && !read.toString().contains("\"field\":\"body\""); c = answer.read()) {
            read.append((char) c);
        }
        return read.toString();
    }
}
