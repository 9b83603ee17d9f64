package org.livingevidence.support.mongo;

import io.micronaut.configuration.mongo.core.DefaultMongoConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a MongoDB call waits for a server before it fails ({@code evidence.mongodb.server-selection-timeout}, 5 s;
 * the driver's default is 30 s): while MongoDB is away, requests answer 503 within seconds instead of hanging, and
 * consumers pause and retry. A timeout in the connection string ({@code serverSelectionTimeoutMS}) still wins.
 */
@Singleton
class MongoTimeouts implements BeanCreatedEventListener<DefaultMongoConfiguration> {

    private final Duration serverSelection;

    MongoTimeouts(@Value("${evidence.mongodb.server-selection-timeout:5s}") Duration serverSelection) {
        this.serverSelection = serverSelection;
    }

    @Override
    public DefaultMongoConfiguration onCreated(BeanCreatedEvent<DefaultMongoConfiguration> event) {
        DefaultMongoConfiguration configuration = event.getBean();
        configuration.getClusterSettings().serverSelectionTimeout(serverSelection.toMillis(), TimeUnit.MILLISECONDS);
        configuration.getSocketSettings().connectTimeout(serverSelection.toMillis(), TimeUnit.MILLISECONDS);
        configuration.getSocketSettings().readTimeout(30, TimeUnit.SECONDS);
        return configuration;
    }
}
