package org.livingevidence.metaanalysis.derivation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SE of a log-scale estimate from the p-value of its Wald test: SE = |estimate| / z(1 - p/2). Shared by every form
 * that gives an effect and a p-value but no interval.
 */
final class StandardErrorFromP {

    private StandardErrorFromP() {
    }

    static DerivedEffect derive(double logEstimate, String estimateField, ReportedPValue p, String method,
                                List<String> assumptions, boolean approximate) {
        if (logEstimate == 0) {
            throw new InvalidReportedFigures(estimateField, "an estimate at the null (ratio 1) gives no standard error from a p-value");
        }
        double z = p.absoluteZ();
        double se = Math.abs(logEstimate) / z;
        List<String> allAssumptions = new ArrayList<>(assumptions);
        allAssumptions.add("the p-value comes from a Wald test on the log scale");
        List<String> warnings = new ArrayList<>();
        if (p.sidedness() == ReportedPValue.Sidedness.ONE_SIDED) {
            allAssumptions.add("the one-sided p was doubled: the estimate lies in the tested direction");
        }
        if (p.isBound()) {
            warnings.add(String.format(Locale.ROOT,
                    "p was reported as a bound (%s): the SE %.4f is an upper bound, so this study's weight is a lower bound",
                    p.describe(), se));
        }
        String fullMethod = String.format(Locale.ROOT, "%s; SE = |ln ratio| / %.4f from %s", method, z, p.describe());
        return new DerivedEffect(logEstimate, se, fullMethod, allAssumptions, approximate || p.isBound(), warnings,
                p.isBound());
    }
}
