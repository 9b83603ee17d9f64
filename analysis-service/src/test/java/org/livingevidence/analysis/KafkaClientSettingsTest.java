package org.livingevidence.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.testing.RealInfrastructure;

/**
 * A production cluster needs TLS and SASL settings on every Kafka client: {@code kafka.client.*} (environment
 * {@code KAFKA_CLIENT_*}) reaches them verbatim, and a service configured so still consumes and becomes ready.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaClientSettingsTest implements RealInfrastructure {

    @Inject
    KafkaSettings kafka;

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of(
                "kafka.client.security.protocol", "PLAINTEXT",
                "kafka.client.reconnect.backoff.max.ms", "2000"));
    }

    @Test
    void clientPropertiesReachTheClientsAndTheServiceStillConsumes() {
        assertThat(kafka.clientConfig()).containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("reconnect.backoff.max.ms", "2000")
                .containsEntry("bootstrap.servers", infrastructureProperties().get("kafka.bootstrap.servers"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> health = http.toBlocking().exchange(HttpRequest.GET("/health"), String.class);
            assertThat(health.code()).isEqualTo(200);
        });
    }
}
