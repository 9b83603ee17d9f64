package org.livingevidence.console.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.ApplicationContextConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EstimateNoticesTest {

    @Test
    void theConsolesKafkaClientTakesKafkaClientSettingsFromConfigurationAndTheEnvironmentWhichWins() {
        DefaultEnvironment configuration = new DefaultEnvironment(new ApplicationContextConfiguration() {
            @Override
            public List<String> getEnvironments() {
                return List.of("test");
            }
        });
        configuration.addPropertySource(PropertySource.of(Map.of("kafka.client.security.protocol", "SSL", "kafka.client.sasl.mechanism", "PLAIN")));
        configuration.start();
        try {
            Properties properties = EstimateNotices.clientProperties(configuration,
                    Map.of("KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_CLIENT_SASL_JAAS_CONFIG", "jaas", "PATH", "/usr/bin"));
            assertThat(properties).containsEntry("security.protocol", "SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", "jaas").doesNotContainKey("path");
        } finally {
            configuration.stop();
        }
    }
}
