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
    SMD(Scale.IDENTITY);

    /** How estimates are transformed before pooling. */
    public enum Scale { LOG, IDENTITY }

    private final Scale scale;

    EffectMeasure(Scale scale) {
        this.scale = scale;
    }

    public Scale scale() {
        return scale;
    }

    /** The value of "no effect" on the measure's natural scale. */
    public double nullValue() {
        return scale == Scale.LOG ? 1.0 : 0.0;
    }
}
