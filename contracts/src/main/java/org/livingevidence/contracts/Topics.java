package org.livingevidence.contracts;

import java.util.List;

/**
 * The public Kafka topics. Names are domain-named and carry a major version: an incompatible change to a topic's
 * payloads gets a new topic ({@code .v2}) that runs beside the old one until its consumers have moved.
 *
 * <p>A record's key is the evidence question id, so all events of one question are ordered on one partition;
 * studies, which belong to no single question, are keyed by study id, and API keys by key id.
 */
public final class Topics {

    /** Evidence questions as defined and revised by curators (study-service). */
    public static final String QUESTIONS = "evidence.questions.v1";
    /** Every revision of a study (citation, design, arms, risk of bias, links to the same trial) (study-service). */
    public static final String STUDIES = "evidence.studies.v1";
    /** Every new revision of an outcome record, retractions included (study-service). */
    public static final String OUTCOME_RECORDS = "evidence.outcome-records.v1";
    /** Every recomputed pooled estimate of a question (analysis-service). */
    public static final String POOLED_ESTIMATES = "evidence.pooled-estimates.v1";
    /** A question's conclusion changed in a way subscribers care about (analysis-service). */
    public static final String CONCLUSION_SHIFTS = "evidence.conclusion-shifts.v1";
    /** Every revision of an API key, keyed by key id and compacted: the one credential store every service reads. */
    public static final String API_KEYS = "evidence.api-keys.v1";
    /** When each service last authenticated a key (best effort, at most once a minute per key and instance). */
    public static final String API_KEY_USAGE = "evidence.api-key-usage.v1";
    /** Records a consumer set aside (undecodable, or failing every retry), with where they came from and why. */
    public static final String DEAD_LETTERS = "evidence.dead-letters.v1";

    /** Partitions of every topic: enough for a few consumers per group; a question always maps to one. */
    public static final int PARTITIONS = 6;

    /**
     * Settings a topic is created with; the AsyncAPI document states the same.
     *
     * @param maxMessageBytes the largest record batch the topic takes, or null for the broker's default (1 MiB)
     */
    public record TopicSpec(String name, int partitions, long retentionMs, String cleanupPolicy, Integer maxMessageBytes) {

        public TopicSpec(String name, int partitions, long retentionMs, String cleanupPolicy) {
            this(name, partitions, retentionMs, cleanupPolicy, null);
        }
    }

    /**
     * The largest pooled-estimate event: it lists every study's contribution, and a question holds at most 5,000
     * records (about 2 MB at the longest labels), so its topic takes records of up to 8 MiB.
     */
    public static final int POOLED_ESTIMATE_MAX_BYTES = 8 * 1024 * 1024;

    /**
     * Internal, not part of the public API: carries no records. Each service's outbox relay instances form a consumer
     * group on it, and its partitions are the relay's shards (see the outbox in service-support).
     */
    public static final String RELAY_SHARDS = "evidence.internal.relay-shards";

    /** Kept forever: these logs are the replayable history that projections are rebuilt from. */
    private static final long FOREVER = -1L;
    private static final long ONE_WEEK = 7L * 24 * 60 * 60 * 1000;
    private static final long THIRTY_DAYS = 30L * 24 * 60 * 60 * 1000;

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(QUESTIONS, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(STUDIES, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(OUTCOME_RECORDS, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(POOLED_ESTIMATES, PARTITIONS, FOREVER, "delete", POOLED_ESTIMATE_MAX_BYTES),
            new TopicSpec(CONCLUSION_SHIFTS, PARTITIONS, FOREVER, "delete"),
            // One partition: every instance of every service reads all of it, in order, at start.
            new TopicSpec(API_KEYS, 1, FOREVER, "compact"),
            new TopicSpec(API_KEY_USAGE, 1, ONE_WEEK, "delete"),
            // Operators read it; each service also keeps its own dead letters for re-driving.
            new TopicSpec(DEAD_LETTERS, 1, THIRTY_DAYS, "delete"));

    public static final List<TopicSpec> INTERNAL = List.of(new TopicSpec(RELAY_SHARDS, PARTITIONS, FOREVER, "delete"));

    private Topics() {
    }
}
