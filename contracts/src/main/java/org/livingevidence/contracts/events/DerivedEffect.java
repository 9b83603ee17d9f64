package org.livingevidence.contracts.events;

import java.util.List;

/**
 * The effect on the analysis scale (log for ratios) with its standard error, and how it was obtained.
 *
 * @param approximate               true when the derivation rests on assumptions beyond the reported figures
 * @param standardErrorIsUpperBound true when the SE came from a p-value stated as a bound ({@code p < 0.001});
 *                                  null in events from before this field existed, meaning false
 */
public record DerivedEffect(
        EffectMeasure measure,
        EffectMeasure.Scale scale,
        double estimate,
        double standardError,
        String method,
        List<String> assumptions,
        boolean approximate,
        List<String> warnings,
        Boolean standardErrorIsUpperBound) {
}
