package org.livingevidence.metaanalysis.pooling;

import java.util.Locale;
import org.apache.commons.numbers.rootfinder.BrentSolver;

/**
 * tau² by each of metafor's estimators for the random-effects model without moderators. Iterative estimators are
 * bounded (no infinite loop); when one fails they fall back to DerSimonian-Laird and say so. With k = 1 tau² is 0.
 */
public final class Tau2Estimators {

    static final int MAX_ITERATIONS = 1000;
    static final double THRESHOLD = 1e-12;
    /** Newton's steps take over from Fisher scoring's once these are smaller than this fraction of tau². */
    static final double NEWTON_FROM = 1e-2;
    /** A Newton step goes at most this many times the Fisher step from the same point. */
    static final double NEWTON_REACH = 10;
    private static final BrentSolver BRENT = new BrentSolver(1e-15, 1e-15, 1e-15);

    private Tau2Estimators() {
    }

    public static Tau2Estimate estimate(java.util.List<StudyEffect> effects, Tau2Method method) {
        return estimate(Studies.of(effects), method);
    }

    static Tau2Estimate estimate(Studies s, Tau2Method method) {
        if (s.k() == 1) {
            return new Tau2Estimate(0, method, method, true, 0, "one study: tau² is 0 by definition");
        }
        return switch (method) {
            case DL -> closed(method, derSimonianLaird(s));
            case HE -> closed(method, hedges(s));
            case HS -> closed(method, hunterSchmidt(s));
            case SJ -> closed(method, sidikJonkman(s));
            case REML, ML -> fisherScoring(s, method);
            case PM, EB -> pauleMandel(s, method);
        };
    }

    private static Tau2Estimate closed(Tau2Method method, double tau2) {
        return new Tau2Estimate(tau2, method, method, true, 0, null);
    }

    static double derSimonianLaird(Studies s) {
        double sw = 0;
        double sw2 = 0;
        for (double variance : s.v()) {
            double w = 1 / variance;
            sw += w;
            sw2 += w * w;
        }
        double c = sw - sw2 / sw;
        return c <= 0 ? 0 : Math.max(0, (s.generalizedQ(0) - (s.k() - 1)) / c);
    }

    static double hedges(Studies s) {
        double mean = s.unweightedMean();
        double ss = 0;
        double sv = 0;
        for (int i = 0; i < s.k(); i++) {
            ss += (s.y()[i] - mean) * (s.y()[i] - mean);
            sv += s.v()[i];
        }
        return Math.max(0, ss / (s.k() - 1) - sv / s.k());
    }

    static double hunterSchmidt(Studies s) {
        double sw = 0;
        for (double variance : s.v()) {
            sw += 1 / variance;
        }
        return Math.max(0, (s.generalizedQ(0) - s.k()) / sw);
    }

    /** One step from tau0² = the unweighted variance of the estimates with divisor k. */
    static double sidikJonkman(Studies s) {
        double mean = s.unweightedMean();
        double ss = 0;
        for (double value : s.y()) {
            ss += (value - mean) * (value - mean);
        }
        double tau0 = ss / s.k();
        if (tau0 == 0) {
            return 0;
        }
        return tau0 * s.generalizedQ(tau0) / (s.k() - 1);
    }

    /**
     * REML or ML by Fisher scoring from the Hedges estimate, halving steps that would leave [0, inf), as metafor
     * does; stops when a step changes tau² by less than {@value #THRESHOLD} (relative to tau² above 1).
     *
     * <p>Once Fisher scoring's steps have become small (below {@value #NEWTON_FROM} of tau²), it is close to the
     * maximum it is converging to, and Newton's steps finish the climb to that same maximum in fewer passes (Fisher
     * scoring converges linearly, Newton quadratically). A Newton step is taken only where the likelihood is concave,
     * goes at most {@value #NEWTON_REACH} Fisher steps (so at most a tenth of tau²), and is undone if it lands where the
     * likelihood is not concave (past a minimum, towards another maximum): Fisher scoring then finishes alone. Starting
     * Newton anywhere else (for instance at a neighbouring fit's tau²) can end at another maximum of a multimodal
     * likelihood: this stays on the maximum Fisher scoring from the Hedges estimate is heading for.
     *
     * <p>Each iteration is one pass over the studies: the residuals are taken from the previous iteration's pooled
     * estimate, so the expanded sums of squares cancel nothing but the small move of that estimate.
     */
    private static Tau2Estimate fisherScoring(Studies s, Tau2Method method) {
        return fisherScoring(s, method, hedges(s), s.unweightedMean());
    }

    /** As above, over any way of taking the sums, from the Hedges estimate {@code start} and the unweighted mean. */
    static Tau2Estimate fisherScoring(WeightedSums sums, Tau2Method method, double start, double unweightedMean) {
        double tau2 = start;
        double centre = unweightedMean;
        double[] sum = new double[WeightedSums.COUNT];
        boolean newtonAllowed = true;
        double beforeNewton = Double.NaN;
        double centreBeforeNewton = Double.NaN;
        double fisherInstead = Double.NaN;
        for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
            sums.at(tau2, centre, sum);
            double sw = sum[0];
            double sw2 = sum[3];
            double sw3 = sum[6];
            // The pooled estimate is centre + d; with r = W (y - mu): yPPy = sum r², and sum w r², sum w r for Newton.
            double d = sum[1] / sw;
            double yPPy = sum[5] - 2 * d * sum[4] + d * d * sw2;
            double swr2 = sum[8] - 2 * d * sum[7] + d * d * sw3;
            double swr = sum[4] - d * sw2;
            double yPPPy = swr2 - swr * swr / sw;
            double score;
            double information;
            double curvature;
            if (method == Tau2Method.REML) {
                double trP = sw - sw2 / sw;
                double trPP = sw2 - 2 * sw3 / sw + (sw2 / sw) * (sw2 / sw);
                score = yPPy - trP;
                information = trPP;
                curvature = 2 * yPPPy - trPP;
            } else {
                score = yPPy - sw;
                information = sw2;
                curvature = 2 * yPPPy - sw2;
            }
            if (!Double.isNaN(beforeNewton)) {
                if (!(curvature > 0)) {
                    // The Newton step went past where the likelihood is concave: undo it, and let Fisher scoring finish.
                    tau2 = beforeNewton + fisherInstead;
                    centre = centreBeforeNewton;
                    newtonAllowed = false;
                    beforeNewton = Double.NaN;
                    continue;
                }
                beforeNewton = Double.NaN;
            }
            double centreBefore = centre;
            centre += d;
            double adj = score / information;
            if (!Double.isFinite(adj)) {
                return fallback(sums.studies(), method, iteration, "Fisher scoring produced a non-finite step");
            }
            if (newtonAllowed && Math.abs(adj) < NEWTON_FROM * tau2 && curvature > 0) {
                // Same direction as the Fisher step (both follow the score), never further than NEWTON_REACH of them.
                double newton = score / curvature;
                double step = Math.abs(newton) <= NEWTON_REACH * Math.abs(adj) ? newton : NEWTON_REACH * adj;
                if (tau2 + step >= 0) {
                    beforeNewton = tau2;
                    centreBeforeNewton = centreBefore;
                    fisherInstead = adj;
                    adj = step;
                }
            }
            int halvings = 0;
            while (tau2 + adj < 0 && halvings++ < 1100) {
                adj /= 2;
            }
            double next = Math.max(0, tau2 + adj);
            double change = Math.abs(next - tau2);
            tau2 = next;
            // Relative beyond tau² = 1: an absolute 1e-12 is below the spacing of doubles once tau² passes a few
            // thousand (mean differences in raw units), where the iteration could never stop and fell back to DL.
            if (change < THRESHOLD * Math.max(1, tau2)) {
                return new Tau2Estimate(tau2, method, method, true, iteration, null);
            }
        }
        return fallback(sums.studies(), method, MAX_ITERATIONS, "Fisher scoring did not converge in " + MAX_ITERATIONS + " iterations");
    }

    /** The root of Q(tau²) = k - 1 (Q decreases in tau²); 0 when Q(0) is already at most k - 1. */
    private static Tau2Estimate pauleMandel(Studies s, Tau2Method method) {
        double target = s.k() - 1;
        if (s.generalizedQ(0) <= target) {
            return new Tau2Estimate(0, method, method, true, 0, null);
        }
        double upper = 100;
        int expansions = 0;
        while (s.generalizedQ(upper) > target) {
            upper *= 10;
            if (++expansions > 30) {
                return fallback(s, method, expansions, "no upper bracket for the Paule-Mandel equation");
            }
        }
        try {
            double root = BRENT.findRoot(t -> s.generalizedQ(t) - target, 0, upper);
            return new Tau2Estimate(root, method, method, true, 0, null);
        } catch (RuntimeException e) {
            return fallback(s, method, 0, "root finding failed: " + e.getMessage());
        }
    }

    private static Tau2Estimate fallback(Studies s, Tau2Method method, int iterations, String why) {
        return new Tau2Estimate(derSimonianLaird(s), method, Tau2Method.DL, false, iterations,
                String.format(Locale.ROOT, "%s; fell back to DerSimonian-Laird", why));
    }
}
