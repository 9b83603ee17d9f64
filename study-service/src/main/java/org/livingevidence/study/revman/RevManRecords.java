package org.livingevidence.study.revman;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.EffectMeasure;

/**
 * Turns a RevMan analysis's study rows into outcome-record request bodies, so each goes through exactly the
 * validation and derivation of a single submission: events and totals for dichotomous data, means and SDs for
 * continuous data, an estimate with its SE for generic inverse-variance data.
 */
public final class RevManRecords {

    /** A row as a request body, or why it cannot be one. */
    public record Body(ObjectNode body, String unreadable) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RevManRecords() {
    }

    /**
     * @param questionMeasure the measure of the question the rows go to: dichotomous and continuous rows are entered
     *                        in it when they can be (a RevMan OR analysis imports as RR into an RR question)
     */
    public static List<Body> bodies(RevManReview.Analysis analysis, EffectMeasure questionMeasure) {
        List<Body> bodies = new ArrayList<>();
        for (RevManReview.Row row : analysis.rows()) {
            try {
                bodies.add(new Body(body(analysis, row, questionMeasure), null));
            } catch (IllegalArgumentException e) {
                bodies.add(new Body(null, e.getMessage()));
            }
        }
        return bodies;
    }

    private static ObjectNode body(RevManReview.Analysis analysis, RevManReview.Row row, EffectMeasure questionMeasure) {
        ObjectNode body = NODES.objectNode();
        if (row.studyLabel() != null) {
            body.put("studyLabel", row.studyLabel());
        }
        if (row.year() != null) {
            body.put("publicationYear", row.year());
        }
        if (row.subgroup() != null && !row.subgroup().isBlank()) {
            body.put("subgroup", row.subgroup());
        }
        ObjectNode source = body.putObject("source");
        source.put("table", cut("RevMan analysis " + analysis.number() + (analysis.name() == null ? "" : " (" + analysis.name() + ")"),
                FieldLimits.SOURCE_TABLE));
        body.set("reported", reported(analysis, row, questionMeasure));
        return body;
    }

    private static ObjectNode reported(RevManReview.Analysis analysis, RevManReview.Row row, EffectMeasure questionMeasure) {
        EffectMeasure fileMeasure = analysis.measure().orElse(null);
        ObjectNode reported = NODES.objectNode();
        switch (analysis.dataType()) {
            case DICHOTOMOUS -> {
                EffectMeasure measure = comparable(questionMeasure, fileMeasure, List.of(EffectMeasure.RR, EffectMeasure.OR, EffectMeasure.RD));
                reported.put("form", "EVENTS_AND_TOTALS");
                reported.put("measure", measure.name());
                double total1 = require(row.total1(), "Total 1");
                double total2 = require(row.total2(), "Total 2");
                double events1 = require(row.events1(), "Events 1");
                double events2 = require(row.events2(), "Events 2");
                // RevMan's "swap events and non-events" analyses the complement
                reported.put("eventsIntervention", analysis.swapEvents() ? total1 - events1 : events1);
                reported.put("totalIntervention", total1);
                reported.put("eventsComparator", analysis.swapEvents() ? total2 - events2 : events2);
                reported.put("totalComparator", total2);
            }
            case CONTINUOUS -> {
                EffectMeasure measure = comparable(questionMeasure, fileMeasure, List.of(EffectMeasure.MD, EffectMeasure.SMD));
                reported.put("form", "MEANS_AND_SDS");
                reported.put("measure", measure.name());
                reported.put("meanIntervention", require(row.mean1(), "Mean 1"));
                reported.put("sdIntervention", require(row.sd1(), "SD 1"));
                reported.put("nIntervention", require(row.total1(), "Total 1"));
                reported.put("meanComparator", require(row.mean2(), "Mean 2"));
                reported.put("sdComparator", require(row.sd2(), "SD 2"));
                reported.put("nComparator", require(row.total2(), "Total 2"));
            }
            case GENERIC_INVERSE_VARIANCE -> {
                if (fileMeasure == null) {
                    throw new IllegalArgumentException("the analysis's effect measure \"" + analysis.effectMeasure()
                            + "\" is not one a question pools (HR, RR, OR, RD, MD, SMD)");
                }
                double effect = require(row.effect(), "Effect Estimate");
                double se = require(row.se(), "SE");
                boolean ratio = fileMeasure.scale() == EffectMeasure.Scale.LOG;
                reported.put("form", "ESTIMATE_WITH_SE");
                reported.put("measure", fileMeasure.name());
                reported.put("estimate", ratio && !naturalScale(analysis, row) ? Math.exp(effect) : effect);
                reported.put("standardError", se);
            }
            default -> throw new IllegalArgumentException("O-E and variance (individual patient data) rows cannot be imported: "
                    + "enter the hazard ratio and its interval instead");
        }
        return reported;
    }

    /**
     * Whether a generic inverse-variance row's effect is the ratio itself. The file's flag says so when it has one;
     * otherwise the row's interval decides (the effect lies inside it on the natural scale); otherwise meta's
     * {@code read.rm5} assumption holds: the effect is a log.
     */
    static boolean naturalScale(RevManReview.Analysis analysis, RevManReview.Row row) {
        if (analysis.naturalScale() != null) {
            return analysis.naturalScale();
        }
        Double lo = row.ciStart();
        Double hi = row.ciEnd();
        double effect = row.effect();
        if (lo != null && hi != null && lo > 0 && hi > lo) {
            boolean natural = effect >= lo && effect <= hi;
            boolean log = Math.exp(effect) >= lo && Math.exp(effect) <= hi;
            if (natural != log) {
                return natural;
            }
        }
        return false;
    }

    private static EffectMeasure comparable(EffectMeasure question, EffectMeasure file, List<EffectMeasure> possible) {
        if (question != null && possible.contains(question)) {
            return question;
        }
        if (file != null && possible.contains(file)) {
            return file;
        }
        return possible.get(0);
    }

    private static double require(Double value, String column) {
        if (value == null) {
            throw new IllegalArgumentException("has no " + column);
        }
        return value;
    }

    /** Text from a review, cut to a field's limit. */
    public static String cut(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        // by code points, so a character outside the BMP is never split in two
        return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }
}
