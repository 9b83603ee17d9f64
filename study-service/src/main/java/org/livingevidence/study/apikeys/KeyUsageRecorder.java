package org.livingevidence.study.apikeys;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.ApiKeyUsed;
import org.livingevidence.support.events.EventConsumers;

/** Keeps each issued key's last use, as every service reports it on {@code evidence.api-key-usage.v1}. */
@Singleton
class KeyUsageRecorder {

    private final ApiKeyRepository repository;
    private final EventConsumers consumers;
    private final String group;

    KeyUsageRecorder(ApiKeyRepository repository, EventConsumers consumers, @Value("${kafka.consumer-group:study-service}") String group) {
        this.repository = repository;
        this.consumers = consumers;
        this.group = group + "-key-usage";
    }

    @EventListener
    void onStartup(StartupEvent event) {
        consumers.start(group, List.of(Topics.API_KEY_USAGE), incoming -> {
            if (incoming.type() == EventType.API_KEY_USED) {
                ApiKeyUsed used = incoming.payload(ApiKeyUsed.class);
                repository.recordUse(used.keyId(), used.lastUsedAt());
            }
        });
    }
}
