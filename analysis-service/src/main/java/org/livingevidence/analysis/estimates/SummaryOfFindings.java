package org.livingevidence.analysis.estimates;

import java.util.List;
import java.util.Locale;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.PooledEstimateComputed;

/**
 * A question's latest estimate as one row of a GRADE summary of findings: the relative effect with its interval,
 * the risks and the difference per 1,000 at the question's baseline risk, the number of studies, the certainty
 * with its reasons, and what one more study would need to be to change the conclusion.
 *
 * @param absoluteEffect null when the question states no baseline risk
 * @param newStudy       in words; null without a conclusion
 * @param newStudyForMid in words: the new study that would move the interval across the minimal important difference;
 *                       null without one
 * @param fragility      in words: the fragility index; null unless every record gives events and totals
 */
public record SummaryOfFindings(String questionId, String title, long estimateVersion, EffectMeasure measure, int studies,
                                RelativeEffect relativeEffect, PooledEstimateComputed.AbsoluteEffect absoluteEffect,
                                Conclusion.Certainty certainty, String conclusion, String newStudy, String newStudyForMid,
                                String fragility) {

    /** On the natural scale, from the model the conclusion is drawn from. */
    public record RelativeEffect(double estimate, double ciLower, double ciUpper, double ciLevel, String model) {
    }

    static SummaryOfFindings of(PooledEstimateComputed e) {
        Conclusion c = e.conclusion();
        boolean random = c == null || c.model() == org.livingevidence.contracts.events.AnalysisSettings.Model.RANDOM;
        PooledEstimateComputed.PooledResult chosen = random ? e.randomEffects() : e.fixedEffect();
        PooledEstimateComputed.Robustness r = e.robustness();
        return new SummaryOfFindings(e.questionId(), e.questionTitle(), e.estimateVersion(), e.effectMeasure(), e.k(),
                new RelativeEffect(chosen.natural().estimate(), chosen.natural().ciLower(), chosen.natural().ciUpper(),
                        chosen.ciLevel(), random ? "random effects" : "fixed effect"),
                r == null ? null : r.absoluteEffect(), c == null ? null : c.certainty(), c == null ? null : c.statement(),
                r == null || r.newStudy() == null ? null : r.newStudy().statement(),
                r == null || r.newStudyForMid() == null ? null : r.newStudyForMid().statement(),
                r == null || r.fragility() == null ? null : r.fragility().statement());
    }

    /** The row as a table a person reads (Markdown, which is plain text too). */
    String table() {
        String level = percent(relativeEffect.ciLevel());
        StringBuilder t = new StringBuilder();
        t.append("Summary of findings: ").append(title == null ? questionId : title).append("\n\n");
        t.append("| Relative effect (").append(level).append(" CI) | Risk without the intervention | Risk with the intervention | ")
                .append("Difference (").append(level).append(" CI) | Studies | Certainty |\n");
        t.append("|---|---|---|---|---|---|\n");
        t.append(String.format(Locale.ROOT, "| %s %.2f (%.2f to %.2f), %s | ", measure == EffectMeasure.PLO ? "proportion" : measure.name(),
                relativeEffect.estimate(), relativeEffect.ciLower(), relativeEffect.ciUpper(), relativeEffect.model()));
        if (absoluteEffect == null) {
            t.append("no baseline risk stated | | | ");
        } else {
            // Per 10,000 or 100,000 for a rare outcome, as the statement says it.
            int statedPer = absoluteEffect.statedPer() == null ? 1_000 : absoluteEffect.statedPer();
            double scale = statedPer / 1000.0;
            String per = String.format(Locale.ROOT, "per %,d", statedPer);
            t.append(String.format(Locale.ROOT, "%d %s over %s | %d %s | %s %s (%s to %s) | ",
                    Math.round(absoluteEffect.comparatorPer1000() * scale), per, absoluteEffect.timeFrame(),
                    Math.round(absoluteEffect.interventionPer1000() * scale), per, signed(absoluteEffect.differencePer1000() * scale), per,
                    signed(absoluteEffect.differenceLowerPer1000() * scale), signed(absoluteEffect.differenceUpperPer1000() * scale)));
        }
        t.append(studies).append(" | ").append(certainty == null ? "not rated" : certainty.level().name().replace('_', ' ').toLowerCase(Locale.ROOT));
        t.append(" |\n");
        if (certainty != null && !certainty.reasons().isEmpty()) {
            t.append("\nCertainty: ").append(String.join("; ", certainty.reasons())).append('\n');
        }
        for (String line : java.util.Arrays.asList(conclusion, newStudy, newStudyForMid, fragility)) {
            if (line != null && !line.isEmpty()) {
                t.append('\n').append(line).append('\n');
            }
        }
        return t.toString();
    }

    private static String signed(double difference) {
        long rounded = Math.round(difference);
        return rounded == 0 ? "0" : Math.abs(rounded) + (rounded < 0 ? " fewer" : " more");
    }

    private static String percent(double level) {
        double p = level * 100;
        return (p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p)) + "%";
    }
}
