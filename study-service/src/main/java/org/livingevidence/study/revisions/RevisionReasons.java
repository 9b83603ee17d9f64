package org.livingevidence.study.revisions;

/** Why a revision was made, as it is stored for every entity: stripped, and null when none was given. */
public final class RevisionReasons {

    private RevisionReasons() {
    }

    public static String strippedOrNull(String reason) {
        return reason == null || reason.isBlank() ? null : reason.strip();
    }
}
