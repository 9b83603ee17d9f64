package org.livingevidence.metaanalysis.bias;

import java.util.List;
import org.apache.commons.statistics.distribution.TDistribution;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/**
 * Egger's regression test for funnel-plot asymmetry (small-study effects), in its classic form: a weighted least
 * squares regression of the estimates on their standard errors with weights 1/v and a multiplicative dispersion
 * (metafor's {@code regtest(model = "lm", predictor = "sei")}). A non-zero slope signals asymmetry; the intercept is
 * the estimate a study of infinite precision would give.
 */
public final class EggerTest {

    /**
     * @param limitEstimate the intercept: the effect as the standard error goes to 0
     */
    public record Result(int k, double slope, double statistic, int df, double pValue, double limitEstimate) {
    }

    private EggerTest() {
    }

    /** Needs at least 3 studies (the regression has two parameters and a residual variance). */
    public static Result test(List<StudyEffect> effects) {
        int k = effects.size();
        if (k < 3) {
            throw new IllegalArgumentException("Egger's test needs at least 3 studies, got " + k);
        }
        double sw = 0;
        double swx = 0;
        double swy = 0;
        double swxx = 0;
        double swxy = 0;
        for (StudyEffect e : effects) {
            double w = 1 / e.variance();
            double x = Math.sqrt(e.variance());
            sw += w;
            swx += w * x;
            swy += w * e.estimate();
            swxx += w * x * x;
            swxy += w * x * e.estimate();
        }
        double det = sw * swxx - swx * swx;
        if (!(det > 0)) {
            throw new IllegalArgumentException("Egger's test needs studies with different standard errors");
        }
        double slope = (sw * swxy - swx * swy) / det;
        double intercept = (swy - slope * swx) / sw;
        double rss = 0;
        for (StudyEffect e : effects) {
            double residual = e.estimate() - intercept - slope * Math.sqrt(e.variance());
            rss += residual * residual / e.variance();
        }
        int df = k - 2;
        double sigma2 = rss / df;
        double seSlope = Math.sqrt(sigma2 * sw / det);
        double t = slope / seSlope;
        double p = 2 * TDistribution.of(df).survivalProbability(Math.abs(t));
        return new Result(k, slope, t, df, p, intercept);
    }
}
