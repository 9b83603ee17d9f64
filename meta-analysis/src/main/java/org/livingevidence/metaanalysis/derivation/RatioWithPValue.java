package org.livingevidence.metaanalysis.derivation;

import java.util.List;

/** A ratio (HR, RR, OR) reported with a p-value and no interval: log ratio, SE from the p-value. */
public final class RatioWithPValue {

    private RatioWithPValue() {
    }

    public static DerivedEffect derive(double estimate, ReportedPValue p) {
        FigureChecks.positive("estimate", estimate);
        return StandardErrorFromP.derive(Math.log(estimate), "estimate", p, "log ratio", List.of(), false);
    }
}
