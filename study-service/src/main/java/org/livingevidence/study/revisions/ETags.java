package org.livingevidence.study.revisions;

import org.livingevidence.support.problems.InputProblem;

/** Revisions as HTTP entity tags: the ETag of revision 3 is {@code "3"}; updates must send it back in If-Match. */
public final class ETags {

    private ETags() {
    }

    public static String of(long revision) {
        return "\"" + revision + "\"";
    }

    /**
     * Checks an If-Match header against the current revision: 428 when absent, 412 when it names another revision
     * (or is not one of ours). {@code *} is refused on purpose: it would allow a blind overwrite.
     */
    public static void requireCurrent(String ifMatch, String what, String id, long current) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw InputProblem.revisionRequired(what, id);
        }
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(of(current))) {
                return;
            }
        }
        throw InputProblem.staleRevision(what, id, ifMatch.strip(), current);
    }
}
