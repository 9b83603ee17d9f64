package org.livingevidence.metaanalysis.conclusions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;

/**
 * Rates certainty as GRADE starts it: high for randomised trials, low when any study is observational (or of
 * unrecorded design); then one level down for each of serious inconsistency (I² of 50% or more), imprecision
 * (the interval includes no effect or the minimal important difference, or the required information is not yet
 * reached), and small-study effects (Egger p below 0.10 with at least 10 studies). Never below very low.
 */
public final class CertaintyRules {

    static final double INCONSISTENCY_I2 = 50;
    /** Fewer studies than this give Egger's test too little power to downgrade for small-study effects. */
    public static final int EGGER_MIN_STUDIES = 10;
    static final double EGGER_P = 0.10;

    /** What the rating looks at besides the conclusion. */
    public record Evidence(int randomised, int observational, int designUnknown, Double iSquared, Double eggerP) {
    }

    private CertaintyRules() {
    }

    public static Certainty rate(Conclusion conclusion, Evidence evidence) {
        List<String> reasons = new ArrayList<>();
        int level;
        if (evidence.observational() == 0 && evidence.designUnknown() == 0) {
            level = 0;
        } else {
            level = 2;
            reasons.add(evidence.designUnknown() > 0
                    ? String.format(Locale.ROOT, "starts at low: %d non-randomised and %d of unrecorded design", evidence.observational(), evidence.designUnknown())
                    : String.format(Locale.ROOT, "starts at low: %d of %d studies are non-randomised", evidence.observational(), conclusion.k()));
        }
        if (evidence.iSquared() != null && evidence.iSquared() >= INCONSISTENCY_I2) {
            level++;
            reasons.add(String.format(Locale.ROOT, "inconsistency: I² = %.0f%%", evidence.iSquared()));
        }
        if (!conclusion.significant()) {
            level++;
            reasons.add("imprecision: the interval includes no effect");
        } else if (conclusion.mid() == MidStatus.INCONCLUSIVE) {
            level++;
            reasons.add("imprecision: the interval includes the minimal important difference");
        } else if (conclusion.sequential() == TrialSequentialAnalysis.Status.NOT_YET_CONCLUSIVE) {
            level++;
            reasons.add("imprecision: the required information size is not yet reached");
        }
        if (conclusion.k() >= EGGER_MIN_STUDIES && evidence.eggerP() != null && evidence.eggerP() < EGGER_P) {
            level++;
            reasons.add(String.format(Locale.ROOT, "small-study effects: Egger p = %.3f", evidence.eggerP()));
        }
        Certainty.Level[] levels = Certainty.Level.values();
        return new Certainty(levels[Math.min(level, levels.length - 1)], reasons);
    }
}
