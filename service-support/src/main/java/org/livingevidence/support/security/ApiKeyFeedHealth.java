package org.livingevidence.support.security;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;

/** Not ready until every API key published before the start has been read: until then keys would be refused. */
@Singleton
@Readiness
public class ApiKeyFeedHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final ApiKeyFeed feed;

    ApiKeyFeedHealth(ApiKeyFeed feed) {
        this.feed = feed;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = feed.caughtUp() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("caughtUp", feed.caughtUp());
    }

    @Override
    protected String getName() {
        return "apiKeys";
    }
}
