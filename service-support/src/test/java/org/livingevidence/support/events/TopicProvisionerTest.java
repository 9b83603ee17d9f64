package org.livingevidence.support.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.Topics;

class TopicProvisionerTest {

    private static TopicProvisioner provisioner(int replicationFactor, int minInsyncReplicas) {
        return new TopicProvisioner(new KafkaSettings("localhost:9092", (short) replicationFactor, Duration.ofSeconds(6),
                (short) minInsyncReplicas));
    }

    @Test
    void withThreeReplicasAnAcknowledgedEventIsOnTwoOfThem() {
        assertThat(provisioner(3, 0).configs(Topics.ALL.get(0))).containsEntry("min.insync.replicas", "2");
    }

    @Test
    void oneLocalBrokerNeedsOnlyItself() {
        assertThat(provisioner(1, 0).configs(Topics.ALL.get(0))).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void anOperatorMayAskForMoreButNeverForMoreThanThereAreReplicas() {
        assertThat(provisioner(5, 3).configs(Topics.ALL.get(0))).containsEntry("min.insync.replicas", "3");
        assertThatThrownBy(() -> provisioner(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.min-insync-replicas");
    }

    @Test
    void theContractsRetentionAndSizeLimitsAreKept() {
        Topics.TopicSpec estimates = Topics.ALL.stream().filter(t -> t.name().equals(Topics.POOLED_ESTIMATES)).findFirst().orElseThrow();
        assertThat(provisioner(1, 0).configs(estimates)).containsEntry("retention.ms", "-1")
                .containsEntry("max.message.bytes", estimates.maxMessageBytes().toString());
    }
}
