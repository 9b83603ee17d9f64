package org.livingevidence.support.events;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.livingevidence.contracts.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the public topics with the partitions and retention the contract documents. Idempotent: every service
 * calls it at start, so whichever starts first creates them.
 */
@Singleton
public class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final KafkaSettings settings;
    private volatile boolean provisioned;

    public TopicProvisioner(KafkaSettings settings) {
        this.settings = settings;
    }

    /** The configs a topic is created with: the contract's retention and limits, and the replication policy. */
    Map<String, String> configs(Topics.TopicSpec spec) {
        Map<String, String> configs = new java.util.HashMap<>(Map.of("retention.ms", Long.toString(spec.retentionMs()),
                "cleanup.policy", spec.cleanupPolicy(),
                "min.insync.replicas", Short.toString(settings.getMinInsyncReplicas())));
        if (spec.maxMessageBytes() != null) {
            configs.put("max.message.bytes", spec.maxMessageBytes().toString());
        }
        return configs;
    }

    /** Creates any missing topic; true once all exist. Failure (broker down) is logged and retried by callers. */
    public synchronized boolean ensureTopics() {
        if (provisioned) {
            return true;
        }
        List<NewTopic> topics = java.util.stream.Stream.concat(Topics.ALL.stream(), Topics.INTERNAL.stream())
                .map(spec -> new NewTopic(spec.name(), spec.partitions(), settings.getReplicationFactor()).configs(configs(spec)))
                .toList();
        Map<String, Object> config = settings.clientConfig();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(15, TimeUnit.SECONDS);
                    LOG.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            provisioned = true;
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not create topics yet ({}); will retry", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
