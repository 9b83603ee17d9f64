package org.livingevidence.endtoend;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.testing.TestInfrastructure;

/** The services' HTTP APIs as a client sees them, authenticated with the test administrator's key. */
final class Api {

    /** A response: its status and its body as JSON (null when there is none or it is not JSON). */
    record Response(int status, JsonNode json, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    Response post(String url, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response post(String url, String json) {
        return post(url, json, "application/json");
    }

    /** POSTs, expecting 200 or 201, and returns the JSON. */
    JsonNode created(String url, String json) {
        Response response = post(url, json);
        if (response.status() != 200 && response.status() != 201) {
            throw new AssertionError(url + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60))
                    .header("authorization", "Bearer " + TestInfrastructure.ADMIN_API_KEY).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isBlank() ? null : EventJson.mapper().readTree(response.body());
            } catch (IOException notJson) {
                // Not every answer is JSON (Atom, HTML).
            }
            return new Response(response.statusCode(), json, response.body());
        } catch (IOException e) {
            return new Response(-1, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
