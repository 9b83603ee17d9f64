package org.livingevidence.console.live;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.Map;
import org.livingevidence.contracts.Topics;

/**
 * The console is healthy only while it follows the estimates topic: otherwise its pages would say "live" and show
 * estimates that no longer change. (The gateway works either way.)
 */
@Singleton
public class LiveEstimatesHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final EstimateNotices notices;

    LiveEstimatesHealth(EstimateNotices notices) {
        this.notices = notices;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean following = notices.following();
        healthStatus = following ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("topic", Topics.POOLED_ESTIMATES, "following", following);
    }

    @Override
    public String getName() {
        return "liveEstimates";
    }
}
