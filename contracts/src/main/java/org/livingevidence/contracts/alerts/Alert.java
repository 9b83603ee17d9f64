package org.livingevidence.contracts.alerts;

import java.time.Instant;
import java.util.List;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.Trigger;

/**
 * The alert body, in the Standard Webhooks shape {@code {type, timestamp, data}}: a sentence for people and the
 * structured change for programs. The same JSON is the webhook body, the feed entry's content and the source of
 * the email.
 */
public record Alert(String type, Instant timestamp, Data data) {

    /** A conclusion shift published by analysis-service. */
    public static final String CONCLUSION_SHIFTED = "conclusion.shifted";
    /** A new study or a moved estimate, recognised by notify-service in the estimate stream. */
    public static final String ESTIMATE_UPDATED = "estimate.updated";

    /**
     * @param alertId   the shift id, or {@code questionId:estimateVersion:estimate} for an estimate alert
     * @param previous  the conclusion before (for an estimate alert: when the subscriber was last told, or null)
     * @param trigger   the change that caused it: which record, added, revised or retracted (the last of
     *                  {@code triggers})
     * @param triggers  every change the estimate reflects, in order: a NEW_STUDY alert names each new study
     * @param before    for a conclusion shift, the conclusion of the estimate just before (null when unknown)
     */
    public record Data(String questionId, String questionTitle, String alertId, long estimateVersion,
                       List<AlertKind> shiftTypes, String summary, Conclusion previous, Conclusion current,
                       Trigger trigger, Links links, List<Trigger> triggers, Conclusion before) {

        /** Data without the estimate just before (as alerts from before it was added). */
        public Data(String questionId, String questionTitle, String alertId, long estimateVersion, List<AlertKind> shiftTypes,
                    String summary, Conclusion previous, Conclusion current, Trigger trigger, Links links, List<Trigger> triggers) {
            this(questionId, questionTitle, alertId, estimateVersion, shiftTypes, summary, previous, current, trigger, links,
                    triggers, null);
        }
    }

    /**
     * Where to read more.
     *
     * @param estimate the latest estimate (analysis-service)
     * @param history  the question's Atom feed of every alert-worthy change (notify-service)
     * @param record   the outcome record that caused it (study-service), or null when a question change did
     * @param version          the estimate version announced (analysis-service keeps every version)
     * @param forestPlot       its forest plot (SVG)
     * @param forestPlotBefore the forest plot of the version just before, or null for the first
     */
    /**
     * @param consolePage    the question's page in the web console, when the deployment has one (else null)
     * @param consoleVersion the announced estimate version's page in the console, when it has one (else null)
     */
    public record Links(String estimate, String history, String record, String question, String version,
                        String forestPlot, String forestPlotBefore, String consolePage, String consoleVersion) {

        /** Links without the console's pages (as alerts from before they were added). */
        public Links(String estimate, String history, String record, String question, String version,
                     String forestPlot, String forestPlotBefore) {
            this(estimate, history, record, question, version, forestPlot, forestPlotBefore, null, null);
        }

        /** Links without the estimate version's own (as alerts from before they were added). */
        public Links(String estimate, String history, String record, String question) {
            this(estimate, history, record, question, null, null, null);
        }
    }
}
