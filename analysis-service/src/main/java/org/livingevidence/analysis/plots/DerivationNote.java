package org.livingevidence.analysis.plots;

import org.livingevidence.contracts.events.DerivedEffect;

/** What a forest plot footnotes about how a study's effect was derived. */
public final class DerivationNote {

    private DerivationNote() {
    }

    /**
     * The derivation method where the SE came from a p-value or is an upper bound, or the effect rests on assumptions
     * beyond the reported figures; null for a plain one (an effect with its interval, events and totals).
     */
    public static String of(DerivedEffect d) {
        if (d == null || d.method() == null) {
            return null;
        }
        boolean upperBound = Boolean.TRUE.equals(d.standardErrorIsUpperBound());
        if (!upperBound && !d.approximate() && !d.method().contains(" from p")) {
            return null;
        }
        return d.method() + (upperBound ? " (the SE is an upper bound)" : d.approximate() ? " (approximate)" : "");
    }
}
