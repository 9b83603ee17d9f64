package org.livingevidence.study.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.stream.Collectors;
import org.livingevidence.study.revman.RevManCsv;
import org.livingevidence.study.revman.RevManReview;
import org.livingevidence.support.problems.InputProblem;

/** How an upload is recognised as a RevMan review, and how one of its analyses is chosen. */
final class RevManUploads {

    /** The media type for a RevMan 5 review file; {@code application/xml} and {@code text/xml} are read as one too. */
    static final String RM5 = "application/vnd.cochrane.revman+xml";

    private static final int PEEK = 4096;

    private RevManUploads() {
    }

    static boolean isXml(String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/xml") || type.startsWith("text/xml") || type.startsWith(RM5);
    }

    static Reader peekable(Reader text) {
        return new BufferedReader(text, 2 * PEEK);
    }

    /** Whether the CSV's header is RevMan's analysis export; reads nothing away from {@code text}. */
    static boolean startsAsRevManCsv(Reader text) throws IOException {
        text.mark(PEEK);
        char[] start = new char[PEEK];
        int n = 0;
        int read;
        while (n < PEEK && (read = text.read(start, n, PEEK - n)) > 0) {
            n += read;
        }
        text.reset();
        String firstLine = new String(start, 0, n).lines().findFirst().orElse("");
        return RevManCsv.isRevManHeader(java.util.Arrays.asList(firstLine.split(",", -1)).stream()
                .map(c -> c.strip().replace("\"", "")).toList());
    }

    static void requireNoAnalysis(String analysis) {
        if (analysis != null) {
            throw InputProblem.invalid("analysis", "names an analysis of a RevMan review; this upload is not one (send the .rm5 file "
                    + "as " + RM5 + " or application/xml, or RevMan's analysis CSV export)");
        }
    }

    /** The analysis named "1.2" (comparison 1, outcome 2); the only one when the review has one and none is named. */
    static RevManReview.Analysis select(RevManReview review, String analysis) {
        if (analysis == null || analysis.isBlank()) {
            if (review.analyses().size() == 1) {
                return review.analyses().get(0);
            }
            throw InputProblem.invalid("analysis", "the review holds " + review.analyses().size() + " analyses; name one, e.g. ?analysis="
                    + review.analyses().get(0).number() + " (" + list(review) + ")");
        }
        return review.analyses().stream().filter(a -> a.number().equals(analysis.strip())).findFirst()
                .orElseThrow(() -> InputProblem.invalid("analysis", "the review has no analysis " + shorten(analysis)
                        + "; it holds " + list(review)));
    }

    static String list(RevManReview review) {
        return review.analyses().stream().limit(20).map(a -> a.number() + " " + (a.name() == null ? "" : a.name()))
                .collect(Collectors.joining(", ")) + (review.analyses().size() > 20 ? ", ..." : "");
    }

    /** Echoes of user input in messages stay short. */
    private static String shorten(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
