package org.livingevidence.metaanalysis.pooling;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.numbers.rootfinder.BrentSolver;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/** The random-effects model with a chosen tau² estimator and interval method, as metafor's {@code rma()}. */
public final class RandomEffects {

    private static final BrentSolver BRENT = new BrentSolver(1e-15, 1e-15, 1e-15);

    private RandomEffects() {
    }

    public static RandomEffectsResult fit(List<StudyEffect> effects, Tau2Method method, CiMethod ciMethod, double level) {
        if (effects.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed to pool");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must lie strictly between 0 and 1, was " + level);
        }
        Studies s = Studies.of(effects);
        int k = s.k();
        List<String> notes = new ArrayList<>();
        Tau2Estimate tau2 = Tau2Estimators.estimate(s, method);
        if (tau2.note() != null) {
            notes.add(tau2.note());
        }
        double t2 = tau2.tau2();
        Pooling pooling = pool(s, t2, "RANDOM_" + tau2.method(), ciMethod, level, notes);
        PooledEstimate pooled = pooling.pooled();
        double mu = pooled.estimate();
        double waldSe = pooling.waldSe();
        double piCrit = pooling.predictionCritical();
        double piSe = pooling.predictionSe();

        Interval prediction = null;
        Interval riley = null;
        Interval tau2Ci = null;
        if (k > 1) {
            double half = piCrit * Math.sqrt(piSe * piSe + t2);
            prediction = new Interval(mu - half, mu + half);
            tau2Ci = qProfile(s, level);
        }
        if (k > 2) {
            double crit = TDistribution.of(k - 2).inverseSurvivalProbability((1 - level) / 2);
            double half = crit * Math.sqrt(waldSe * waldSe + t2);
            riley = new Interval(mu - half, mu + half);
        }
        double sw = 0;
        for (double variance : s.v()) {
            sw += 1 / (variance + t2);
        }
        List<Double> weights = new ArrayList<>(k);
        for (double variance : s.v()) {
            // Divide first so that a sole study weighs exactly 100%.
            weights.add(100 * ((1 / (variance + t2)) / sw));
        }
        return new RandomEffectsResult(k, pooled, tau2, heterogeneity(s, t2), prediction, riley, tau2Ci, weights, notes);
    }

    /** The pooled estimate with its interval, and what the prediction interval needs. */
    private record Pooling(PooledEstimate pooled, double waldSe, double predictionCritical, double predictionSe) {
    }

    private static Pooling pool(Studies s, double t2, String name, CiMethod ciMethod, double level, List<String> notes) {
        int k = s.k();
        double sw = 0;
        for (double variance : s.v()) {
            sw += 1 / (variance + t2);
        }
        double mu = s.weightedMean(t2);
        double waldSe = Math.sqrt(1 / sw);
        CiMethod used = ciMethod;
        if (ciMethod == CiMethod.HKSJ && k == 1) {
            notes.add("HKSJ needs k >= 2; the Wald interval was used");
            used = CiMethod.WALD;
        }
        if (used == CiMethod.HKSJ) {
            double q = s.generalizedQ(t2) / (k - 1);
            if (q == 0) {
                notes.add("the studies agree exactly, so the HKSJ SE would be 0; it was floored at the Wald SE (ad hoc correction)");
                q = 1;
            }
            double se = Math.sqrt(q / sw);
            TDistribution t = TDistribution.of(k - 1);
            double crit = t.inverseSurvivalProbability((1 - level) / 2);
            double statistic = mu / se;
            return new Pooling(new PooledEstimate(name + "_HKSJ", mu, se, mu - crit * se, mu + crit * se, level, statistic,
                    2 * t.survivalProbability(Math.abs(statistic))), waldSe, crit, se);
        }
        return new Pooling(PooledEstimate.wald(name, mu, waldSe, level), waldSe, StandardNormal.quantile(0.5 + level / 2), waldSe);
    }

    /**
     * The random-effects estimate with its interval and test exactly as {@link #fit} computes them, without the
     * prediction interval, tau² interval, weights and heterogeneity: what a model refitted many times needs.
     */
    public static PooledEstimate pooled(List<StudyEffect> effects, Tau2Method method, CiMethod ciMethod, double level) {
        if (effects.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed to pool");
        }
        return pooled(Studies.of(effects), method, ciMethod, level);
    }

    /** As {@link #pooled(List, Tau2Method, CiMethod, double)}, for effects {@code y} with variances {@code v}. */
    public static PooledEstimate pooled(double[] y, double[] v, Tau2Method method, CiMethod ciMethod, double level) {
        if (y.length == 0 || y.length != v.length) {
            throw new IllegalArgumentException("at least one study, with one variance per effect, is needed to pool");
        }
        return pooled(new Studies(y, v), method, ciMethod, level);
    }

    private static PooledEstimate pooled(Studies s, Tau2Method method, CiMethod ciMethod, double level) {
        Tau2Estimate tau2 = Tau2Estimators.estimate(s, method);
        return pool(s, tau2.tau2(), "RANDOM_" + tau2.method(), ciMethod, level, new ArrayList<>()).pooled();
    }

    /**
     * The random-effects estimate of {@link #pooled} and its test's SE, without the interval: the same tau² by the same
     * algorithm (an iterative estimator started anywhere else can end at another maximum of a multimodal likelihood).
     */
    public static SignificanceTest test(double[] y, double[] v, Tau2Method method, CiMethod ciMethod) {
        if (y.length == 0 || y.length != v.length) {
            throw new IllegalArgumentException("at least one study, with one variance per effect, is needed to pool");
        }
        Studies s = new Studies(y, v);
        int k = s.k();
        double t2 = Tau2Estimators.estimate(s, method).tau2();
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < k; i++) {
            double w = 1 / (v[i] + t2);
            sw += w;
            swy += w * y[i];
        }
        double mu = swy / sw;
        if (ciMethod == CiMethod.HKSJ && k > 1) {
            double q = s.generalizedQ(t2) / (k - 1);
            if (q == 0) {
                q = 1;
            }
            return new SignificanceTest(mu, Math.sqrt(q / sw), k - 1);
        }
        return new SignificanceTest(mu, Math.sqrt(1 / sw), 0);
    }

    /** The pooled estimate and its Wald standard error, nothing else: what each look of a sequential analysis needs. */
    public record Wald(double estimate, double standardError) {

        public double z() {
            return estimate / standardError;
        }
    }

    /** The random-effects estimate and Wald SE of {@link #fit} (bit for bit), without the intervals and profiles. */
    public static Wald wald(List<StudyEffect> effects, Tau2Method method) {
        if (effects.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed to pool");
        }
        Studies s = Studies.of(effects);
        double t2 = Tau2Estimators.estimate(s, method).tau2();
        double sw = 0;
        for (double variance : s.v()) {
            sw += 1 / (variance + t2);
        }
        return new Wald(s.weightedMean(t2), Math.sqrt(1 / sw));
    }

    /** Cochran's Q (fixed-effect weights) with I² and H² for the estimated tau², as metafor reports them. */
    static Heterogeneity heterogeneity(Studies s, double tau2) {
        int k = s.k();
        double q = s.generalizedQ(0);
        if (k == 1) {
            return new Heterogeneity(q, 0, null, null, null, tau2);
        }
        double sw = 0;
        double sw2 = 0;
        for (double variance : s.v()) {
            sw += 1 / variance;
            sw2 += 1 / (variance * variance);
        }
        double s2 = (k - 1) * sw / (sw * sw - sw2);
        return new Heterogeneity(q, k - 1, ChiSquaredDistribution.of(k - 1).survivalProbability(q),
                100 * tau2 / (tau2 + s2), (tau2 + s2) / s2, tau2);
    }

    /**
     * The Q-profile confidence interval for tau²: the tau² values at which the generalized Q statistic equals the
     * chi-square (k - 1) quantiles; a bound is 0 when Q(0) already lies below its quantile.
     */
    static Interval qProfile(Studies s, double level) {
        ChiSquaredDistribution chi = ChiSquaredDistribution.of(s.k() - 1);
        double forLower = chi.inverseSurvivalProbability((1 - level) / 2);
        double forUpper = chi.inverseCumulativeProbability((1 - level) / 2);
        return new Interval(solveQ(s, forLower), solveQ(s, forUpper));
    }

    private static double solveQ(Studies s, double target) {
        if (s.generalizedQ(0) <= target) {
            return 0;
        }
        double upper = 1;
        while (s.generalizedQ(upper) > target) {
            upper *= 10;
            if (upper > 1e12) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return BRENT.findRoot(t -> s.generalizedQ(t) - target, 0, upper);
    }
}
