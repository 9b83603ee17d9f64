package org.livingevidence.metaanalysis.conclusions;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.livingevidence.metaanalysis.pooling.MetaAnalysisResult;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.StandardNormal;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;

/** Deterministic conclusions from pooled results, and the shifts between two conclusions. */
public final class ConclusionRules {

    private ConclusionRules() {
    }

    /**
     * Concludes from the model the question chose. Significance is the two-sided p-value below alpha, which is
     * the same as the (1 - alpha) interval excluding the null. Results are on the frame's test scale.
     */
    public static Conclusion conclude(MetaAnalysisResult result, QuestionFrame frame) {
        return conclude(frame.randomEffects() ? result.randomEffects() : result.fixedEffect(), result.k(), frame);
    }

    /** Concludes from {@code chosen}, the pooled estimate (on the frame's test scale) of the question's model over {@code k} studies. */
    public static Conclusion conclude(PooledEstimate chosen, int k, QuestionFrame frame) {
        Direction direction = direction(chosen.estimate(), frame.lowerIsBenefit());
        boolean significant = chosen.pValue() < frame.alpha();
        double estimate = frame.natural(chosen.estimate());
        double lower = frame.natural(chosen.ciLower());
        double upper = frame.natural(chosen.ciUpper());
        MidStatus mid = midStatus(chosen.ciLower(), chosen.ciUpper(), frame);
        String statement = String.format(Locale.ROOT,
                "Pooled %s %.2f (%s%% CI %.2f to %.2f), %s, %s (p %s; %s, k = %d)%s.",
                frame.measureLabel(), estimate, percent(chosen.ciLevel()), lower, upper, describe(direction, frame),
                significant ? "statistically significant" : "not statistically significant", formatP(chosen.pValue(), frame.alpha()),
                frame.randomEffects() ? "random effects" : "fixed effect", k, describe(mid, frame));
        return new Conclusion(direction, significant, frame.randomEffects(), frame.alpha(), k, estimate,
                lower, upper, chosen.pValue(), statement, mid, null, null);
    }

    /** The shifts from {@code previous} to {@code current} with no hysteresis. */
    public static Set<ShiftType> shifts(Conclusion previous, Conclusion current) {
        return shifts(previous, current, null, Hysteresis.NONE);
    }

    /**
     * The shifts from {@code previous} (what subscribers were last told) to {@code current}; empty when nothing
     * that matters changed. With a hysteresis margin, a significance flip, direction change or MID crossing counts
     * only once the new result lies that many standard errors past the threshold.
     */
    public static Set<ShiftType> shifts(Conclusion previous, Conclusion current, QuestionFrame frame, Hysteresis hysteresis) {
        Set<ShiftType> shifts = EnumSet.noneOf(ShiftType.class);
        double z = StandardNormal.quantile(1 - Math.max(current.pValue(), Double.MIN_NORMAL) / 2);
        double zCritical = StandardNormal.quantile(1 - current.alpha() / 2);
        double margin = hysteresis.zMargin();
        boolean significanceChanged = previous.significant() != current.significant();
        boolean significanceCleared = Math.abs(z - zCritical) >= margin;
        if (significanceChanged && significanceCleared) {
            shifts.add(ShiftType.SIGNIFICANCE_FLIP);
        }
        if (previous.direction() != current.direction() && z >= margin) {
            shifts.add(ShiftType.DIRECTION_CHANGE);
        }
        boolean midChanged = previous.mid() != current.mid() && previous.mid() != MidStatus.NOT_SET
                && current.mid() != MidStatus.NOT_SET;
        boolean midCleared = !midChanged || frame == null || midDistance(current, frame) >= margin;
        if (midChanged && midCleared) {
            shifts.add(ShiftType.MID_CROSSING);
        }
        // Imprecision follows significance and the MID: a rating that moved only because a result hovers inside
        // the margin would alert on every event, exactly what the margin is there to prevent.
        boolean hovering = significanceChanged && !significanceCleared || midChanged && !midCleared;
        if (previous.certainty() != null && current.certainty() != null
                && previous.certainty().level() != current.certainty().level() && !hovering) {
            shifts.add(ShiftType.CERTAINTY_CHANGE);
        }
        if (current.sequential() != null && current.sequential() != previous.sequential()
                && current.sequential() != TrialSequentialAnalysis.Status.NOT_YET_CONCLUSIVE) {
            shifts.add(ShiftType.SEQUENTIAL_BOUNDARY_CROSSED);
        }
        return shifts;
    }

    /**
     * "0.86 (95% CI 0.66 to 1.12, p = 0.26), not significant, favours the intervention": an estimate with its
     * interval's level, its p-value (never rounded onto alpha), its significance and direction, as a shift states each
     * estimate it names.
     */
    public static String stated(Conclusion c, QuestionFrame frame) {
        return String.format(Locale.ROOT, "%.2f (%s%% CI %.2f to %.2f, p %s), %s, %s", c.estimate(), percent(1 - c.alpha()),
                c.ciLower(), c.ciUpper(), formatP(c.pValue(), c.alpha()), c.significant() ? "significant" : "not significant",
                describe(c.direction(), frame));
    }

    /** {@link #formatP(double)}, with digits enough that a p below alpha never reads as alpha or above. */
    public static String formatP(double p, double alpha) {
        String rounded = formatP(p);
        if (p < alpha && rounded.startsWith("= ") && Double.parseDouble(rounded.substring(2)) >= alpha) {
            return "= " + String.format(Locale.ROOT, "%.4f", p);
        }
        return rounded;
    }

    /** "pooled HR 0.86 (0.66 to 1.12), not significant": the short form used in shift summaries. */
    public static String brief(Conclusion c, String measureLabel) {
        return String.format(Locale.ROOT, "pooled %s %.2f (%.2f to %.2f), %s", measureLabel, c.estimate(), c.ciLower(),
                c.ciUpper(), c.significant() ? "significant" : "not significant");
    }

    static MidStatus midStatus(double lower, double upper, QuestionFrame frame) {
        if (frame.minimalImportantDifference() == null) {
            return MidStatus.NOT_SET;
        }
        double mid = frame.analysis(frame.minimalImportantDifference());
        boolean beyondOnBenefitSide = frame.lowerIsBenefit() ? upper < mid : lower > mid;
        boolean shortOfIt = frame.lowerIsBenefit() ? lower > mid : upper < mid;
        return beyondOnBenefitSide ? MidStatus.IMPORTANT_BENEFIT : shortOfIt ? MidStatus.NO_IMPORTANT_BENEFIT : MidStatus.INCONCLUSIVE;
    }

    /** How many standard errors the interval bound nearest the MID lies from it, on the analysis scale. */
    static double midDistance(Conclusion c, QuestionFrame frame) {
        double lower = frame.analysis(c.ciLower());
        double upper = frame.analysis(c.ciUpper());
        double se = (upper - lower) / (2 * StandardNormal.quantile(1 - c.alpha() / 2));
        double mid = frame.analysis(frame.minimalImportantDifference());
        return Math.min(Math.abs(lower - mid), Math.abs(upper - mid)) / se;
    }

    static Direction direction(double analysisScaleEstimate, boolean lowerIsBenefit) {
        if (analysisScaleEstimate == 0) {
            return Direction.NO_DIFFERENCE;
        }
        boolean below = analysisScaleEstimate < 0;
        return below == lowerIsBenefit ? Direction.FAVOURS_INTERVENTION : Direction.FAVOURS_COMPARATOR;
    }

    private static String describe(Direction direction, QuestionFrame frame) {
        if (frame.referenceProportion() != null) {
            String reference = String.format(Locale.ROOT, "%.2f", frame.referenceProportion());
            return switch (direction) {
                case FAVOURS_INTERVENTION -> "favours the intervention over the reference proportion " + reference;
                case FAVOURS_COMPARATOR -> "favours the reference proportion " + reference;
                case NO_DIFFERENCE -> "equal to the reference proportion " + reference;
            };
        }
        return switch (direction) {
            case FAVOURS_INTERVENTION -> "favours the intervention";
            case FAVOURS_COMPARATOR -> "favours the comparator";
            case NO_DIFFERENCE -> "no difference";
        };
    }

    private static String describe(MidStatus mid, QuestionFrame frame) {
        return switch (mid) {
            case NOT_SET -> "";
            case IMPORTANT_BENEFIT -> String.format(Locale.ROOT, "; the interval lies beyond the minimal important difference %.2f", frame.minimalImportantDifference());
            case INCONCLUSIVE -> String.format(Locale.ROOT, "; the interval includes the minimal important difference %.2f", frame.minimalImportantDifference());
            case NO_IMPORTANT_BENEFIT -> String.format(Locale.ROOT, "; the interval excludes the minimal important difference %.2f", frame.minimalImportantDifference());
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
