package org.livingevidence.support.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.validator.TokenValidator;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first key from configuration ({@code evidence.security.bootstrap.api-key}, e.g. the environment
 * variable {@code EVIDENCE_SECURITY_BOOTSTRAP_API_KEY}), so a fresh installation has someone who can issue keys.
 */
@Singleton
@Requires(property = "evidence.security.bootstrap.api-key")
@Requires(classes = TokenValidator.class)
class ApiKeyBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyBootstrap.class);

    private final ApiKeys keys;
    private final String key;
    private final String name;
    private final List<String> roles;

    ApiKeyBootstrap(ApiKeys keys, @Value("${evidence.security.bootstrap.api-key}") String key,
                    @Value("${evidence.security.bootstrap.name:admin}") String name,
                    @Value("${evidence.security.bootstrap.roles:CURATOR,ADMIN,SUBSCRIBER,READER}") List<String> roles) {
        this.keys = keys;
        this.key = key;
        this.name = name;
        this.roles = roles;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!key.startsWith(ApiKeys.PREFIX) || key.length() < ApiKeys.PREFIX.length() + 24) {
            throw new IllegalStateException("evidence.security.bootstrap.api-key must start with " + ApiKeys.PREFIX
                    + " and have at least 24 more characters");
        }
        keys.register(key, name, roles);
        LOG.info("bootstrap API key registered for {} with roles {}", name, roles);
    }
}
