package org.livingevidence.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The stack under load, reached only as a client would: its HTTP APIs and its Kafka topics. */
record Stack(URI study, URI analysis, URI notifier, String kafka, String apiKey, HttpClient http) {

    static final ObjectMapper JSON = new ObjectMapper();

    static Stack fromArguments(Arguments arguments) {
        return new Stack(URI.create(arguments.get("study", "http://localhost:8081")),
                URI.create(arguments.get("analysis", "http://localhost:8082")),
                URI.create(arguments.get("notify", "http://localhost:8083")),
                arguments.get("kafka", "localhost:9092"),
                arguments.get("key", System.getenv().getOrDefault("EVIDENCE_BOOTSTRAP_API_KEY", "lek_local-admin-key-for-development-only")),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("authorization", "Bearer " + apiKey).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(URI base, String path, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs JSON and returns the JSON answer; anything but 2xx is an error naming the answer. */
    JsonNode postJson(URI base, String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = post(base, path, "application/json", JSON.writeValueAsString(body));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
