package org.livingevidence.analysis;

import java.util.Map;
import java.util.UUID;
import org.livingevidence.testing.RealInfrastructure;

/**
 * A test whose analysis-service consumes in a consumer group of its own: it reads the topics from their start and gets
 * every partition, rather than the committed offsets and a share of a group that other test classes' services (on the
 * same broker) joined before it.
 */
public interface OwnConsumerGroup extends RealInfrastructure {

    @Override
    default Map<String, String> getProperties() {
        return propertiesWith(Map.of("kafka.consumer-group", "analysis-" + UUID.randomUUID()));
    }
}
