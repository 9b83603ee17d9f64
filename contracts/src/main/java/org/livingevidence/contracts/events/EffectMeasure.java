package org.livingevidence.contracts.events;

/** The effect measure of a question, and the scale it is pooled on. */
public enum EffectMeasure {
    /** Hazard ratio, pooled on the log scale. */
    HR(Scale.LOG),
    /** Risk ratio, pooled on the log scale. */
    RR(Scale.LOG),
    /** Odds ratio, pooled on the log scale. */
    OR(Scale.LOG),
    /** Risk difference. */
    RD(Scale.IDENTITY),
    /** Mean difference. */
    MD(Scale.IDENTITY),
    /** Standardized mean difference (Hedges' g). */
    SMD(Scale.IDENTITY),
    /** Single-arm proportion, pooled as a logit. */
    PLO(Scale.LOGIT),
    /** Single-arm proportion, pooled as a Freeman-Tukey double arcsine. */
    PFT(Scale.FREEMAN_TUKEY);

    /** How estimates are transformed before pooling. */
    public enum Scale { LOG, IDENTITY, LOGIT, FREEMAN_TUKEY }

    private final Scale scale;

    EffectMeasure(Scale scale) {
        this.scale = scale;
    }

    public Scale scale() {
        return scale;
    }

    /** Whether the measure compares two arms (a single-arm proportion has no null value to test against). */
    public boolean comparative() {
        return scale == Scale.LOG || scale == Scale.IDENTITY;
    }
}
