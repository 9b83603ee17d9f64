package org.livingevidence.support.outbox;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;

/** The relay every service runs, started with the application (no collection needs registering first). */
@Factory
class OutboxRelayFactory {

    @Singleton
    OutboxMetrics metrics(MeterRegistry registry, Outbox outbox, Clock clock) {
        return new OutboxMetrics(registry, outbox, clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    OutboxRelay relay(Outbox outbox, MongoDatabase database, TopicProvisioner topics, KafkaSettings kafka, Clock clock,
                      OutboxMetrics metrics, MeterRegistry registry, @Value("${micronaut.application.name}") String service,
                      @Value("${evidence.outbox.poll-interval:100ms}") Duration pollInterval,
                      @Value("${evidence.outbox.batch-documents:500}") int batchDocuments,
                      @Value("${evidence.outbox.bulk-pacing.group:}") String pacingGroup,
                      @Value("${evidence.outbox.bulk-pacing.topic:}") String pacingTopic,
                      @Value("${evidence.outbox.bulk-pacing.max-lag:2000}") long maxLag,
                      @Value("${evidence.outbox.bulk-pacing.person-max-lag:300}") long personMaxLag,
                      @Value("${evidence.outbox.bulk-pacing.person-window:60s}") Duration personWindow,
                      @Value("${evidence.outbox.bulk-pacing.stalled-after:30s}") Duration stalledAfter,
                      @Value("${evidence.outbox.rescan-interval:1s}") Duration rescanInterval) {
        RelaySettings settings = new RelaySettings(pollInterval, batchDocuments, maxLag, personMaxLag, personWindow, stalledAfter,
                rescanInterval);
        BulkPacing pacing = pacingGroup.isBlank() || pacingTopic.isBlank() ? BulkPacing.UNPACED
                : new ConsumerLagPacing(org.apache.kafka.clients.admin.Admin.create(kafka.clientConfig()), pacingGroup, pacingTopic,
                        settings.maxLag(), settings.personMaxLag(), settings.personWindow(), settings.stalledAfter(), clock)
                        .measuredBy(registry);
        return new OutboxRelay(outbox, database, topics::ensureTopics, OutboxRelay.producer(kafka.clientConfig()),
                // One group per database: its relay instances share the pending events of that database only.
                RelayShards.kafkaGroup(kafka.groupMemberConfig(service + "." + database.getName() + ".outbox-relay")),
                settings.pollInterval(), settings.batchDocuments(), clock, metrics, pacing, settings.rescanInterval());
    }

    @Singleton
    static class Startup {

        private final OutboxRelay relay;

        Startup(OutboxRelay relay) {
            this.relay = relay;
        }

        @EventListener
        void onStartup(StartupEvent event) {
            relay.start();
        }
    }
}
