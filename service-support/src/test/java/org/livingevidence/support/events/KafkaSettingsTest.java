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
    void environmentVariablesNameKafkaSettingsInUpperCaseWithUnderscores() {
        io.micronaut.core.value.PropertyResolver noConfiguration = new io.micronaut.context.env.PropertySourcePropertyResolver();
        Map<String, String> properties = KafkaSettings.clientProperties(noConfiguration, Map.of(
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12",
                "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092",
                "KAFKA_CLIENT_", "nothing"));
        assertThat(properties).containsOnly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    }

    @Test
    void eachCallGivesAMapOfItsOwn() {
        KafkaSettings settings = new KafkaSettings("localhost:1", (short) 1, Duration.ofSeconds(6), (short) 0);
        settings.clientConfig().put("group.id", "mine");
        assertThat(settings.clientConfig()).doesNotContainKey("group.id");
    }
}
