package org.livingevidence.support.security;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.ApiKeyUsed;
import org.livingevidence.support.events.CloudEventPublishing;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.outbox.OutboxEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, once a minute, the keys this instance authenticated and when it last did, so that the key listing can
 * say whether a key is still in use. Best effort by design: a report lost to a broker outage only makes a key's
 * last use look older, so it is sent straight to Kafka rather than through the outbox.
 */
@Singleton
class KeyUsageReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyUsageReporter.class);

    private final ApiKeyRegistry registry;
    private final KafkaProducer<String, CloudEvent> producer;
    private final String service;
    private final Clock clock;

    KeyUsageReporter(ApiKeyRegistry registry, KafkaSettings settings, Clock clock,
                     @Value("${micronaut.application.name}") String service) {
        this.registry = registry;
        this.service = service;
        this.clock = clock;
        Map<String, Object> config = settings.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer());
    }

    @Scheduled(fixedDelay = "${evidence.security.usage-report-interval:60s}", initialDelay = "${evidence.security.usage-report-interval:60s}")
    void report() {
        Map<String, Instant> uses = registry.drainUses();
        uses.forEach((keyId, at) -> {
            ApiKeyUsed used = new ApiKeyUsed(keyId, service, at);
            OutboxEvent event = new OutboxEvent(UUID.randomUUID().toString(), EventType.API_KEY_USED.ceType(), "/" + service,
                    Topics.API_KEY_USAGE, keyId, clock.instant(), EventSchemas.toValidatedJson(used));
            try {
                producer.send(new ProducerRecord<>(Topics.API_KEY_USAGE, keyId, CloudEventPublishing.toCloudEvent(event)), (metadata, error) -> {
                    if (error != null) {
                        LOG.debug("key usage report for {} lost: {}", keyId, error.toString());
                    }
                });
            } catch (RuntimeException e) {
                LOG.debug("key usage report for {} lost: {}", keyId, e.toString());
            }
        });
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
