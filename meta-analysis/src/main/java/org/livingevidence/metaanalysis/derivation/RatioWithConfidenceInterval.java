package org.livingevidence.metaanalysis.derivation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * A ratio (HR, RR, OR) reported with a confidence interval at any level: log ratio, and SE from the interval's
 * width on the log scale.
 */
public final class RatioWithConfidenceInterval {

    /**
     * Log-scale distance between the reported estimate and the interval's log-midpoint, as a share of the
     * interval's log width, above which the figures are probably mistyped rather than rounded.
     */
    static final double ASYMMETRY_WARNING_SHARE = 0.1;

    private RatioWithConfidenceInterval() {
    }

    public static DerivedEffect derive(double estimate, double lower, double upper, double ciLevel) {
        requirePositive("estimate", estimate);
        requirePositive("lower", lower);
        requirePositive("upper", upper);
        if (!(ciLevel > 0 && ciLevel < 1)) {
            throw new InvalidReportedFigures("ciLevel", "must be a proportion strictly between 0 and 1 (0.95 for a 95% CI), was " + ciLevel);
        }
        if (!(lower < upper)) {
            throw new InvalidReportedFigures("upper", "must be greater than lower (" + lower + "), was " + upper);
        }
        if (estimate < lower || estimate > upper) {
            throw new InvalidReportedFigures("estimate",
                    "the interval " + lower + " to " + upper + " does not contain the estimate " + estimate);
        }
        double logLower = Math.log(lower);
        double logUpper = Math.log(upper);
        double z = StandardNormal.quantile(0.5 + ciLevel / 2);
        double se = (logUpper - logLower) / (2 * z);
        double logEstimate = Math.log(estimate);

        List<String> warnings = new ArrayList<>();
        double asymmetry = Math.abs(logEstimate - (logLower + logUpper) / 2) / (logUpper - logLower);
        if (asymmetry > ASYMMETRY_WARNING_SHARE) {
            warnings.add(String.format(Locale.ROOT,
                    "the estimate lies %.0f%% of the interval's log width away from its log-midpoint; check the figures for a typing error",
                    asymmetry * 100));
        }
        String method = String.format(Locale.ROOT,
                "log ratio; SE = (ln upper - ln lower) / (2 x %.4f), the normal quantile for a %s%% interval",
                z, percent(ciLevel));
        return new DerivedEffect(logEstimate, se, method,
                List.of("the interval is symmetric on the log scale (Wald)"), false, warnings);
    }

    private static void requirePositive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidReportedFigures(field, "a ratio must be a finite number greater than 0, was " + value);
        }
    }

    private static String percent(double level) {
        double p = level * 100;
        return p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p);
    }
}
