package org.livingevidence.contracts.events;

import java.util.List;

/**
 * The effect on the analysis scale (log for ratios) with its standard error, and how it was obtained.
 *
 * @param approximate true when the derivation rests on assumptions beyond the reported figures
 */
public record DerivedEffect(
        EffectMeasure measure,
        EffectMeasure.Scale scale,
        double estimate,
        double standardError,
        String method,
        List<String> assumptions,
        boolean approximate,
        List<String> warnings) {
}
