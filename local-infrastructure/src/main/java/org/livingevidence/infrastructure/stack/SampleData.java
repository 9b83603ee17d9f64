package org.livingevidence.infrastructure.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * Loads {@code sample-data/seed-studies.json} through study-service's public API, as a curator would: each question,
 * then its outcome records.
 */
public final class SampleData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleData() {
    }

    /** Returns the ids of the outcome records, in file order (the same ids when the file is loaded again). */
    public static java.util.List<String> load(Path file, String studyServiceUrl, String apiKey) throws IOException, InterruptedException {
        JsonNode sample = JSON.readTree(file.toFile());
        HttpClient http = HttpClient.newHttpClient();
        java.util.List<String> records = new java.util.ArrayList<>();
        java.util.Map<String, String> studyIds = new java.util.HashMap<>();
        for (JsonNode entry : sample.path("studies")) {
            JsonNode study = post(http, studyServiceUrl + "/api/v1/studies", entry.get("study"), apiKey);
            studyIds.put(entry.get("key").asText(), study.get("studyId").asText());
        }
        for (JsonNode entry : sample.get("questions")) {
            JsonNode question = post(http, studyServiceUrl + "/api/v1/questions", entry.get("question"), apiKey);
            String questionId = question.get("questionId").asText();
            for (JsonNode record : entry.get("outcomeRecords")) {
                com.fasterxml.jackson.databind.node.ObjectNode body = record.get("record").deepCopy();
                JsonNode key = record.get("studyKey");
                if (key != null) {
                    body.put("studyId", studyIds.get(key.asText()));
                }
                records.add(post(http, studyServiceUrl + "/api/v1/questions/" + questionId + "/outcome-records", body, apiKey)
                        .get("recordId").asText());
            }
        }
        return records;
    }

    private static JsonNode post(HttpClient http, String url, JsonNode body, String apiKey) throws IOException, InterruptedException {
        // The body itself is the idempotency key's basis: loading the same file again after an interrupted run
        // does not create duplicates.
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json").header("authorization", "Bearer " + apiKey)
                        .header("idempotency-key", "sample-" + Integer.toHexString(url.hashCode()) + "-" + Integer.toHexString(body.toString().hashCode()))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
