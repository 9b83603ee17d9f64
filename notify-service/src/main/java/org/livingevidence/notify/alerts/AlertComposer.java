package org.livingevidence.notify.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.contracts.alerts.AlertKind;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.notify.PublicLinks;
import org.livingevidence.notify.questions.QuestionDirectory;

/** Builds alert bodies: the same for every subscriber of a change, so one JSON serves webhooks, feeds and emails. */
@Singleton
public class AlertComposer {

    private final PublicLinks links;

    AlertComposer(PublicLinks links) {
        this.links = links;
    }

    public Alert conclusionShifted(ConclusionShifted shift, QuestionDirectory.QuestionEntry question) {
        List<AlertKind> kinds = shift.shiftTypes().stream().map(AlertKind::of).filter(java.util.Objects::nonNull).toList();
        return new Alert(Alert.CONCLUSION_SHIFTED, shift.occurredAt(), new Alert.Data(shift.questionId(), question.title(),
                shift.shiftId(), shift.estimateVersion(), kinds, shift.summary(), shift.previous(), shift.current(),
                shift.trigger(), links(shift.questionId(), shift.estimateVersion(), shift.trigger()), shift.triggers(), shift.before()));
    }

    /**
     * An estimate-level alert: a new study, a move of the estimate since {@code previous} (what the subscriber was
     * last told), or both.
     */
    public Alert estimateUpdated(PooledEstimateComputed estimate, QuestionDirectory.QuestionEntry question, List<AlertKind> kinds,
                                 Conclusion previous) {
        Conclusion current = estimate.conclusion();
        String label = label(estimate.effectMeasure());
        StringBuilder summary = new StringBuilder();
        Trigger trigger = estimate.trigger();
        if (kinds.contains(AlertKind.NEW_STUDY)) {
            List<String> added = estimate.allTriggers().stream().filter(Trigger::addsRecord).map(Trigger::label).toList();
            if (!added.isEmpty()) {
                summary.append(added.size() == 1 ? added.get(0) + " was added: " : addedStudies(added) + " were added: ");
            }
        }
        summary.append(brief(label, current)).append(String.format(Locale.ROOT, " (k = %d)", current.k()));
        if (kinds.contains(AlertKind.ESTIMATE_MOVED) && previous != null) {
            summary.append(String.format(Locale.ROOT, "; it moved %.0f%% from %.2f since the last alert",
                    100 * relativeMove(previous.estimate(), current.estimate()), previous.estimate()));
        }
        summary.append('.');
        String robustness = estimate.robustnessInWords();
        if (!robustness.isEmpty()) {
            summary.append(' ').append(robustness);
        }
        String text = Character.toUpperCase(summary.charAt(0)) + summary.substring(1);
        return new Alert(Alert.ESTIMATE_UPDATED, estimate.computedAt(), new Alert.Data(estimate.questionId(),
                question.title(), estimateAlertId(estimate), estimate.estimateVersion(), kinds, text, previous,
                current, trigger, links(estimate.questionId(), estimate.estimateVersion(), trigger), estimate.allTriggers(), null));
    }

    /** "A, B and C", or "A, B, C, D, E and 7 more studies" beyond six: the alert's triggers list them all. */
    private static String addedStudies(List<String> labels) {
        if (labels.size() <= 6) {
            return String.join(", ", labels.subList(0, labels.size() - 1)) + " and " + labels.get(labels.size() - 1);
        }
        return String.join(", ", labels.subList(0, 5)) + " and " + (labels.size() - 5) + " more studies";
    }

    /**
     * Distinct from the shift id of the same estimate ({@code questionId:estimateVersion}): a subscriber who wants
     * both a conclusion shift and NEW_STUDY gets both alerts, rather than whichever topic was read first.
     */
    public static String estimateAlertId(PooledEstimateComputed estimate) {
        return estimate.questionId() + ":" + estimate.estimateVersion() + ":estimate";
    }

    /** |new - old| / |old| on the natural scale (an HR of 0.80 to 0.72 is 10%); infinite from exactly 0. */
    public static double relativeMove(double old, double now) {
        return old == 0 ? (now == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(now - old) / Math.abs(old);
    }

    public static String json(Alert alert) {
        try {
            return EventJson.mapper().writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Alert.Links links(String questionId, long estimateVersion, Trigger trigger) {
        String record = trigger != null && trigger.kind() == Trigger.Kind.OUTCOME_RECORD ? links.record(trigger.id()) : null;
        return new Alert.Links(links.estimate(questionId), links.questionFeed(questionId), record, links.question(questionId),
                links.estimateVersion(questionId, estimateVersion), links.forestPlot(questionId, estimateVersion),
                estimateVersion > 1 ? links.forestPlot(questionId, estimateVersion - 1) : null,
                links.consolePage(questionId), links.consoleVersion(questionId, estimateVersion));
    }

    private static String brief(String label, Conclusion c) {
        return String.format(Locale.ROOT, "pooled %s %.2f (%.2f to %.2f), %s", label, c.estimate(), c.ciLower(), c.ciUpper(),
                c.significant() ? "significant" : "not significant");
    }

    private static String label(EffectMeasure measure) {
        return measure == EffectMeasure.PLO ? "proportion" : measure.name();
    }
}
