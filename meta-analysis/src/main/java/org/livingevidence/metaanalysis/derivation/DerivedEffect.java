package org.livingevidence.metaanalysis.derivation;

import java.util.List;

/**
 * An effect on the analysis scale with its standard error, and an account of how it was derived.
 *
 * @param approximate              true when the derivation rests on assumptions beyond the reported figures
 * @param standardErrorIsUpperBound true when the SE came from a p-value reported as a bound ({@code p < 0.001})
 */
public record DerivedEffect(double estimate, double standardError, String method, List<String> assumptions,
                            boolean approximate, List<String> warnings, boolean standardErrorIsUpperBound) {

    public DerivedEffect {
        assumptions = List.copyOf(assumptions);
        warnings = List.copyOf(warnings);
    }

    public DerivedEffect(double estimate, double standardError, String method, List<String> assumptions,
                         boolean approximate, List<String> warnings) {
        this(estimate, standardError, method, assumptions, approximate, warnings, false);
    }

    public double variance() {
        return standardError * standardError;
    }
}
