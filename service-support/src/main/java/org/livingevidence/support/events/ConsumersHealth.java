package org.livingevidence.support.events;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** Not ready while any event consumer is not running (starting, or restarting after a failure of its own). */
@Singleton
@Readiness
public class ConsumersHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final EventConsumers consumers;

    ConsumersHealth(EventConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (EventConsumer.Status status : consumers.statuses()) {
            up &= status.state() == EventConsumer.State.RUNNING;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", status.state().name());
            if (status.lastPollAt() != null) {
                one.put("lastPollAt", status.lastPollAt().toString());
            }
            if (status.lastError() != null) {
                one.put("lastError", status.lastError());
            }
            details.put(status.group(), one);
        }
        healthStatus = up ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "consumers";
    }
}
