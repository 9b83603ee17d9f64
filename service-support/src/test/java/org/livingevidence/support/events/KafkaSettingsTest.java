package org.livingevidence.support.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding from configuration is tested where a whole service runs with it (analysis-service's KafkaClientSettingsTest). */
class KafkaSettingsTest {

    @Test
    void clientPropertiesArePassedOnInTheirDottedSpellingOnly() {
        KafkaSettings settings = new KafkaSettings("broker-1:9093", (short) 3, Duration.ofSeconds(6), (short) 0,
                Map.of("security.protocol", "SASL_SSL", "security-protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(settings.clientConfig()).containsOnly(Map.entry("bootstrap.servers", "broker-1:9093"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void eachCallGivesAMapOfItsOwn() {
        KafkaSettings settings = new KafkaSettings("localhost:1", (short) 1, Duration.ofSeconds(6), (short) 0);
        settings.clientConfig().put("group.id", "mine");
        assertThat(settings.clientConfig()).doesNotContainKey("group.id");
    }
}
