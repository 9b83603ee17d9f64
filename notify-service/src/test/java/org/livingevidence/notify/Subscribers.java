package org.livingevidence.notify;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;

/** Subscriber API keys for tests, issued by the bootstrap administrator as a deployment would. */
final class Subscribers {

    private Subscribers() {
    }

    static String issueKey(HttpClient http, String name) {
        String unique = name + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        return TestJson.parse(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/api-keys",
                        "{\"name\": \"" + unique + "\", \"roles\": [\"SUBSCRIBER\"]}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY))).get("apiKey").asText();
    }
}
