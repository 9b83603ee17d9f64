package org.livingevidence.metaanalysis.conclusions;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.livingevidence.metaanalysis.pooling.MetaAnalysisResult;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;

/** Deterministic conclusions from pooled results, and the shifts between two conclusions. */
public final class ConclusionRules {

    private ConclusionRules() {
    }

    /**
     * Concludes from the model the question chose. Significance is the two-sided p-value below alpha, which is
     * the same as the (1 - alpha) Wald interval excluding the null.
     */
    public static Conclusion conclude(MetaAnalysisResult result, QuestionFrame frame) {
        return conclude(frame.randomEffects() ? result.randomEffects() : result.fixedEffect(), result.k(), frame);
    }

    /** Concludes from {@code chosen}, the pooled estimate of the question's model over {@code k} studies. */
    public static Conclusion conclude(PooledEstimate chosen, int k, QuestionFrame frame) {
        Direction direction = direction(chosen.estimate(), frame.lowerIsBenefit());
        boolean significant = chosen.pValue() < frame.alpha();
        double estimate = frame.natural(chosen.estimate());
        double lower = frame.natural(chosen.ciLower());
        double upper = frame.natural(chosen.ciUpper());
        String statement = String.format(Locale.ROOT,
                "Pooled %s %.2f (%s%% CI %.2f to %.2f), %s, %s (p %s; %s, k = %d).",
                frame.measureLabel(), estimate, percent(chosen.ciLevel()), lower, upper, describe(direction),
                significant ? "statistically significant" : "not statistically significant", formatP(chosen.pValue()),
                frame.randomEffects() ? "random effects" : "fixed effect", k);
        return new Conclusion(direction, significant, frame.randomEffects(), frame.alpha(), k, estimate,
                lower, upper, chosen.pValue(), statement);
    }

    /** The shifts from {@code previous} to {@code current}; empty when nothing that matters changed. */
    public static Set<ShiftType> shifts(Conclusion previous, Conclusion current) {
        Set<ShiftType> shifts = EnumSet.noneOf(ShiftType.class);
        if (previous.significant() != current.significant()) {
            shifts.add(ShiftType.SIGNIFICANCE_FLIP);
        }
        if (previous.direction() != current.direction()) {
            shifts.add(ShiftType.DIRECTION_CHANGE);
        }
        return shifts;
    }

    /** "Pooled HR 0.86 (0.66 to 1.12), not significant" - the short form used in shift summaries. */
    public static String brief(Conclusion c, String measureLabel) {
        return String.format(Locale.ROOT, "pooled %s %.2f (%.2f to %.2f), %s", measureLabel, c.estimate(), c.ciLower(),
                c.ciUpper(), c.significant() ? "significant" : "not significant");
    }

    static Direction direction(double analysisScaleEstimate, boolean lowerIsBenefit) {
        if (analysisScaleEstimate == 0) {
            return Direction.NO_DIFFERENCE;
        }
        boolean below = analysisScaleEstimate < 0;
        return below == lowerIsBenefit ? Direction.FAVOURS_INTERVENTION : Direction.FAVOURS_COMPARATOR;
    }

    private static String describe(Direction direction) {
        return switch (direction) {
            case FAVOURS_INTERVENTION -> "favours the intervention";
            case FAVOURS_COMPARATOR -> "favours the comparator";
            case NO_DIFFERENCE -> "no difference";
        };
    }

    static String formatP(double p) {
        if (p < 0.001) {
            return "< 0.001";
        }
        return "= " + String.format(Locale.ROOT, p < 0.01 ? "%.3f" : "%.2g", p);
    }

    private static String percent(double level) {
        double p = level * 100;
        return p == Math.rint(p) ? Long.toString(Math.round(p)) : String.format(Locale.ROOT, "%.1f", p);
    }
}
