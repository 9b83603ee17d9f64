package org.livingevidence.contracts.events;

/**
 * The change that caused a recomputation.
 *
 * @param kind      what changed: an outcome record or the question
 * @param id        the record id or question id
 * @param revision  the revision that arrived
 * @param label     the study label for records, the title for questions
 * @param change    how it changed
 */
public record Trigger(Kind kind, String id, long revision, String label, Change change) {

    public enum Kind { OUTCOME_RECORD, QUESTION }

    public enum Change { ADDED, REVISED, RETRACTED }

    /** A record that joined the question's evidence. */
    public boolean addsRecord() {
        return kind == Kind.OUTCOME_RECORD && change == Change.ADDED;
    }
}
