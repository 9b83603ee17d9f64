package org.livingevidence.metaanalysis.sequential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * Group sequential boundaries for looks at increasing information fractions (Lan and DeMets 1983).
 * The cumulative z statistics are Brownian motion observed at the looks, Z(t) = W(t) / sqrt(t) with W(t) of drift
 * theta per unit of information fraction (0 under the null); the sub-density of "still continuing" is carried from
 * look to look by numerical integration (Simpson's rule on a grid spanning the continuation region, Armitage,
 * McPherson and Rowe 1969).
 *
 * <ul>
 *   <li>Efficacy: two-sided symmetric boundaries so that the null probability of first crossing at each look
 *   equals the alpha spent since the previous one.</li>
 *   <li>Futility (beta spending, non-binding): boundaries in the direction of the anticipated effect so that,
 *   under the anticipated effect, the probability of first falling below one at each look equals the beta spent
 *   since the previous look. Non-binding: the efficacy boundaries ignore them, as rpact does with
 *   {@code bindingFutility = FALSE}.</li>
 * </ul>
 */
public final class GroupSequentialBoundaries {

    /** Boundaries are capped here: beyond it the alpha left to spend at a look is numerically nil. */
    static final double MAX_BOUNDARY = 8;
    private static final int GRID = 401;

    private GroupSequentialBoundaries() {
    }

    /**
     * @param fractions information fractions, strictly increasing; values above 1 are treated as 1 (no alpha left)
     * @return the boundary |z| of each look
     */
    public static List<Double> obrienFleming(double[] fractions, double alpha) {
        List<Double> boundaries = new ArrayList<>(fractions.length);
        Continuing continuing = null;
        double previousT = 0;
        double spent = 0;
        for (double fraction : fractions) {
            double t = Math.min(fraction, 1);
            if (!(t > previousT)) {
                // No information since the last look (or past the required size): no alpha left to spend.
                boundaries.add(boundaries.isEmpty() ? MAX_BOUNDARY : boundaries.get(boundaries.size() - 1));
                continue;
            }
            double increment = OBrienFlemingSpending.twoSidedAlpha(t, alpha) - spent;
            Continuing from = continuing;
            double c = solveEfficacy(from, t, increment);
            boundaries.add(c);
            // The alpha actually spent (a capped boundary spends less than its share).
            spent += from == null ? 2 * (1 - StandardNormal.cdf(c)) : from.below(t, -c, 0) + from.above(t, c, 0);
            continuing = Continuing.at(from, t, -c, c, 0);
            previousT = t;
        }
        return boundaries;
    }

    /**
     * Non-binding beta-spending futility boundaries with the O'Brien-Fleming-type function, for z oriented so that
     * the anticipated effect is positive.
     *
     * @param fractions information fractions, strictly increasing
     * @param efficacy  the efficacy boundary of each look on the anticipated side (paths above it have stopped)
     * @param opposite  the efficacy boundary of each look on the other side (negative; -infinity for none)
     * @param drift     the expected z at information fraction 1 under the anticipated effect
     * @param beta      the type II error to spend
     * @return the futility boundary of each look (stop for futility at or below it), NaN from the first look at
     *         t >= 1, where the required information has been reached and the final analysis decides
     */
    public static double[] betaSpendingFutility(double[] fractions, double[] efficacy, double[] opposite, double drift,
                                                double beta) {
        double[] futility = new double[fractions.length];
        Arrays.fill(futility, Double.NaN);
        Continuing continuing = null;
        double previousT = 0;
        double spent = 0;
        for (int k = 0; k < fractions.length; k++) {
            double t = fractions[k];
            if (t >= 1) {
                break;
            }
            if (!(t > previousT)) {
                futility[k] = k == 0 ? Double.NaN : futility[k - 1];
                continue;
            }
            double increment = OBrienFlemingSpending.oneSided(t, beta) - spent;
            Continuing from = continuing;
            double upper = efficacy[k];
            double b = solveFutility(from, t, increment, Math.max(opposite[k], drift * Math.sqrt(t) - 2 * MAX_BOUNDARY),
                    upper, drift);
            futility[k] = b;
            spent += from == null ? StandardNormal.cdf(b - drift * Math.sqrt(t)) : from.below(t, b, drift);
            continuing = Continuing.at(from, t, Math.max(b, opposite[k]), upper, drift);
            previousT = t;
        }
        return futility;
    }

    private static double solveEfficacy(Continuing from, double t, double increment) {
        if (from == null) {
            return increment <= 0 ? MAX_BOUNDARY : Math.min(MAX_BOUNDARY, StandardNormal.quantile(1 - increment / 2));
        }
        if (increment <= 0 || from.below(t, -MAX_BOUNDARY, 0) + from.above(t, MAX_BOUNDARY, 0) >= increment) {
            return MAX_BOUNDARY;
        }
        return bisect(0, MAX_BOUNDARY, c -> from.below(t, -c, 0) + from.above(t, c, 0) - increment, false);
    }

    private static double solveFutility(Continuing from, double t, double increment, double low, double high, double drift) {
        DoubleUnaryOperator below = b -> from == null
                ? StandardNormal.cdf(b - drift * Math.sqrt(t)) : from.below(t, b, drift);
        if (increment <= 0) {
            return low;
        }
        if (below.applyAsDouble(high) <= increment) {
            // The efficacy and futility boundaries meet: everything that does not cross continues no further.
            return high;
        }
        return bisect(low, high, b -> below.applyAsDouble(b) - increment, true);
    }

    /** The root of a monotone function on [low, high]. */
    private static double bisect(double low, double high, DoubleUnaryOperator f, boolean increasing) {
        for (int i = 0; i < 200 && high - low > 1e-12; i++) {
            double mid = (low + high) / 2;
            boolean rootAbove = increasing ? f.applyAsDouble(mid) < 0 : f.applyAsDouble(mid) > 0;
            if (rootAbove) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** The sub-density, at the last look (fraction s), of the paths that have not stopped: z between the bounds. */
    private record Continuing(double s, double[] grid, double[] density) {

        static Continuing at(Continuing from, double t, double lower, double upper, double drift) {
            double[] grid = new double[GRID];
            double[] density = new double[GRID];
            for (int i = 0; i < GRID; i++) {
                grid[i] = lower + (upper - lower) * i / (GRID - 1);
                density[i] = from == null ? StandardNormal.density(grid[i] - drift * Math.sqrt(t)) : from.densityAt(t, grid[i], drift);
            }
            return new Continuing(t, grid, density);
        }

        /** Sub-density of Z_t at z for paths continuing here. */
        double densityAt(double t, double z, double drift) {
            double sd = Math.sqrt(t - s);
            double[] values = new double[GRID];
            for (int i = 0; i < GRID; i++) {
                values[i] = density[i] * StandardNormal.density((z * Math.sqrt(t) - mean(i, t, drift)) / sd) * Math.sqrt(t) / sd;
            }
            return simpson(values);
        }

        /** P(continuing here, Z_t below x). */
        double below(double t, double x, double drift) {
            double sd = Math.sqrt(t - s);
            double[] values = new double[GRID];
            for (int i = 0; i < GRID; i++) {
                values[i] = density[i] * StandardNormal.cdf((x * Math.sqrt(t) - mean(i, t, drift)) / sd);
            }
            return simpson(values);
        }

        /** P(continuing here, Z_t above x). */
        double above(double t, double x, double drift) {
            double sd = Math.sqrt(t - s);
            double[] values = new double[GRID];
            for (int i = 0; i < GRID; i++) {
                values[i] = density[i] * (1 - StandardNormal.cdf((x * Math.sqrt(t) - mean(i, t, drift)) / sd));
            }
            return simpson(values);
        }

        /** E[W(t) | Z_s = grid[i]]: W grows by drift per unit of information fraction. */
        private double mean(int i, double t, double drift) {
            return grid[i] * Math.sqrt(s) + drift * (t - s);
        }

        private double simpson(double[] f) {
            double h = grid[1] - grid[0];
            double sum = f[0] + f[f.length - 1];
            for (int i = 1; i < f.length - 1; i++) {
                sum += (i % 2 == 1 ? 4 : 2) * f[i];
            }
            return sum * h / 3;
        }
    }
}
