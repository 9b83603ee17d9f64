package org.livingevidence.metaanalysis.sequential;

/**
 * What a trial sequential analysis is planned for.
 *
 * @param anticipatedEffect the effect worth detecting, on the analysis scale (ln 0.80 for an HR of 0.80)
 * @param alpha             two-sided type I error
 * @param power             1 - beta
 * @param diversity         D² to adjust the required information by; null to estimate it from the data
 */
public record TsaSettings(double anticipatedEffect, double alpha, double power, Double diversity) {

    public TsaSettings {
        if (anticipatedEffect == 0 || !Double.isFinite(anticipatedEffect)) {
            throw new IllegalArgumentException("the anticipated effect must be finite and not the null, was " + anticipatedEffect);
        }
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must lie strictly between 0 and 0.5, was " + alpha);
        }
        if (!(power > 0.5 && power < 1)) {
            throw new IllegalArgumentException("power must lie strictly between 0.5 and 1, was " + power);
        }
        if (diversity != null && !(diversity >= 0 && diversity < 1)) {
            throw new IllegalArgumentException("diversity D² must lie in [0, 1), was " + diversity);
        }
    }
}
