package org.livingevidence.metaanalysis.derivation;

import java.util.List;

/**
 * An effect reported with its standard error on the analysis scale, as RevMan's "generic inverse variance" data
 * are entered: a ratio's estimate on its natural scale with the SE of its logarithm, or a difference with its SE.
 */
public final class EstimateWithStandardError {

    private EstimateWithStandardError() {
    }

    /**
     * @param ratio         true for HR, RR and OR: the estimate is a ratio (natural scale) and the SE is of its log
     * @param estimate      the effect on its natural scale
     * @param standardError the SE on the analysis scale (of the log ratio for ratios)
     */
    public static DerivedEffect derive(boolean ratio, double estimate, double standardError) {
        if (!(standardError > 0) || Double.isInfinite(standardError)) {
            throw new InvalidReportedFigures("standardError", "must be a finite number greater than 0, was " + standardError);
        }
        if (ratio) {
            if (!(estimate > 0) || Double.isInfinite(estimate)) {
                throw new InvalidReportedFigures("estimate", "a ratio must be a finite number greater than 0, was " + estimate);
            }
            return new DerivedEffect(Math.log(estimate), standardError, "log ratio with the reported SE of the log ratio (generic inverse variance)",
                    List.of(), false, List.of());
        }
        if (!Double.isFinite(estimate)) {
            throw new InvalidReportedFigures("estimate", "must be a finite number, was " + estimate);
        }
        return new DerivedEffect(estimate, standardError, "the reported difference and its SE (generic inverse variance)",
                List.of(), false, List.of());
    }
}
