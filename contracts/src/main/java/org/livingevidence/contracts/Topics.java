package org.livingevidence.contracts;

import java.util.List;

/**
 * The public Kafka topics. Names are domain-named and carry a major version: an incompatible change to a topic's
 * payloads gets a new topic ({@code .v2}) that runs beside the old one until its consumers have moved.
 *
 * <p>A record's key is the evidence question id, so all events of one question are ordered on one partition;
 * studies, which belong to no single question, are keyed by study id.
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

    /** Partitions of every topic: enough for a few consumers per group; a question always maps to one. */
    public static final int PARTITIONS = 6;

    /** Settings a topic is created with; the AsyncAPI document states the same. */
    public record TopicSpec(String name, int partitions, long retentionMs, String cleanupPolicy) {
    }

    /** Kept forever: these logs are the replayable history that projections are rebuilt from. */
    private static final long FOREVER = -1L;

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(QUESTIONS, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(STUDIES, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(OUTCOME_RECORDS, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(POOLED_ESTIMATES, PARTITIONS, FOREVER, "delete"),
            new TopicSpec(CONCLUSION_SHIFTS, PARTITIONS, FOREVER, "delete"));

    private Topics() {
    }
}
