package org.livingevidence.contracts.events;

/**
 * The change that caused a recomputation.
 *
 * @param kind      {@code OUTCOME_RECORD} or {@code QUESTION}
 * @param id        the record id or question id
 * @param revision  the revision that arrived
 * @param label     the study label for records, the title for questions
 * @param change    {@code ADDED}, {@code REVISED} or {@code RETRACTED}
 */
public record Trigger(String kind, String id, long revision, String label, String change) {
}
