package org.livingevidence.notify;

import static org.awaitility.Awaitility.await;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Duration;
import org.livingevidence.contracts.events.ApiKeyRevised.Role;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestKeys;

/**
 * Subscriber API keys for tests, published on evidence.api-keys.v1 as study-service (the issuer) publishes them;
 * returned once notify-service has read them.
 */
final class Subscribers {

    private Subscribers() {
    }

    static String issueKey(HttpClient http, String name) {
        return issue(http, name).apiKey();
    }

    static TestKeys.IssuedKey issue(HttpClient http, String name) {
        String unique = name + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        TestKeys.IssuedKey key = TestKeys.publish(TestInfrastructure.get().kafkaBootstrapServers(), unique, Role.SUBSCRIBER);
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted(http, key.apiKey()));
        return key;
    }

    private static boolean accepted(HttpClient http, String key) {
        try {
            http.toBlocking().exchange(HttpRequest.GET("/api/v1/subscriptions").bearerAuth(key));
            return true;
        } catch (HttpClientResponseException e) {
            return false;
        }
    }
}
