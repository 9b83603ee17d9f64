package org.livingevidence.metaanalysis.derivation;

import java.util.List;

/**
 * An effect on the analysis scale with its standard error, and an account of how it was derived.
 *
 * @param approximate true when the derivation rests on assumptions beyond the reported figures
 */
public record DerivedEffect(double estimate, double standardError, String method, List<String> assumptions,
                            boolean approximate, List<String> warnings) {

    public DerivedEffect {
        assumptions = List.copyOf(assumptions);
        warnings = List.copyOf(warnings);
    }

    public double variance() {
        return standardError * standardError;
    }
}
