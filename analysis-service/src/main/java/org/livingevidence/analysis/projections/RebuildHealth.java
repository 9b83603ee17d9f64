package org.livingevidence.analysis.projections;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Not ready while a {@link Rebuild} replays the topics: the instance publishes nothing then, and its projections are
 * only partly rebuilt. Ready again once the rebuild's end has published.
 */
@Singleton
@Readiness
public class RebuildHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final Rebuild rebuild;

    RebuildHealth(Rebuild rebuild) {
        this.rebuild = rebuild;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Optional<String> underWay = rebuild.underWay();
        healthStatus = underWay.isPresent() ? HealthStatus.DOWN : HealthStatus.UP;
        return underWay.<Map<String, Object>>map(w -> Map.of("state", "REBUILDING", "waitingFor", w)).orElse(Map.of("state", "NONE"));
    }

    @Override
    protected String getName() {
        return "rebuild";
    }
}
