package org.livingevidence.metaanalysis.sequential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
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
    /** Increments of spending below this fraction of it are rounding (of the spending function and the quadrature). */
    private static final double NEGLIGIBLE_SPEND = 1e-10;
    /** Above P(|Z| >= MAX_BOUNDARY) = 1.2e-15 with room for the quadrature's error. */
    private static final double CAP_CROSSING_BOUND = 1e-14;

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
        for (int k = 0; k < fractions.length; k++) {
            double t = Math.min(fractions[k], 1);
            if (!(t > previousT)) {
                // No information since the last look (or past the required size): no alpha left to spend.
                boundaries.add(boundaries.isEmpty() ? MAX_BOUNDARY : boundaries.get(boundaries.size() - 1));
                continue;
            }
            double increment = spendable(OBrienFlemingSpending.twoSidedAlpha(t, alpha), spent);
            Continuing from = continuing == null ? null : continuing.resolving(t);
            Root root = solveEfficacy(from, t, increment);
            double c = root.x();
            boundaries.add(c);
            // The alpha actually spent (a capped boundary spends less than its share).
            spent += root.probability();
            continuing = laterLook(fractions, k, t, false) ? Continuing.at(from, t, -c, c, 0, true) : null;
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
            double increment = spendable(OBrienFlemingSpending.oneSided(t, beta), spent);
            Continuing from = continuing == null ? null : continuing.resolving(t);
            double upper = efficacy[k];
            Root root = solveFutility(from, t, increment, Math.max(opposite[k], drift * Math.sqrt(t) - 2 * MAX_BOUNDARY),
                    upper, drift);
            double b = root.x();
            futility[k] = b;
            spent += root.probability();
            continuing = laterLook(fractions, k, t, true)
                    ? Continuing.at(from, t, Math.max(b, opposite[k]), upper, drift, false) : null;
            previousT = t;
        }
        return futility;
    }

    /**
     * Whether a look after look k (at t) is computed, as the loops above decide: only then is the density of the paths
     * continuing at look k needed (the last look's would be computed for nothing, one in twenty of a large question's
     * densities). Efficacy looks have their fraction capped at 1 (an infinite fraction is a look at 1); futility looks
     * end at the first fraction of 1 or more.
     */
    private static boolean laterLook(double[] fractions, int k, double t, boolean futility) {
        for (int j = k + 1; j < fractions.length; j++) {
            if (futility && fractions[j] >= 1) {
                return false;
            }
            if ((futility ? fractions[j] : Math.min(fractions[j], 1)) > t) {
                return true;
            }
        }
        return false;
    }

    /**
     * What is left to spend at a look: the spending function less what was spent, or 0 when that is below the
     * rounding of either (a look with almost no new information): its sign would otherwise be noise, and decide
     * between a capped boundary and a root of a probability that small.
     */
    static double spendable(double spending, double spent) {
        double increment = spending - spent;
        return increment > NEGLIGIBLE_SPEND * spending ? increment : 0;
    }

    /** The efficacy boundary and the null probability of crossing it there (what the look spends). */
    private static Root solveEfficacy(Continuing from, double t, double increment) {
        if (from == null) {
            // -z(p/2) rather than z(1 - p/2): 1 - p/2 rounds away most of a small p's digits.
            double c = increment <= 0 ? MAX_BOUNDARY : Math.min(MAX_BOUNDARY, -StandardNormal.quantile(increment / 2));
            return new Root(c, 2 * StandardNormal.cdf(-c));
        }
        // The cap is reached when even |Z| >= 8 would cross more often than the increment allows; that is at most
        // P(|Z_t| >= 8) = 1.2e-15, so a larger increment needs no look at it.
        if (increment <= CAP_CROSSING_BOUND) {
            double atCap = from.crossingUnderNull(t, MAX_BOUNDARY);
            if (increment <= 0 || atCap >= increment) {
                return new Root(MAX_BOUNDARY, atCap);
            }
        }
        DoubleFunction<Tail> crossing = c -> from.tail(t, c, 0, true).times(2);
        // Crossing probability beyond +-c, and its derivatives: both tails, mirror images.
        double start = Math.min(MAX_BOUNDARY, -StandardNormal.quantile(increment / 2));
        return solveTail(crossing, increment, 0, MAX_BOUNDARY, start, false);
    }

    /** The futility boundary and the probability, under the anticipated effect, of falling below it there. */
    private static Root solveFutility(Continuing from, double t, double increment, double low, double high, double drift) {
        double shift = drift * Math.sqrt(t);
        DoubleFunction<Tail> below = b -> {
            if (from != null) {
                return from.tail(t, b, drift, false);
            }
            double density = StandardNormal.density(b - shift);
            return new Tail(StandardNormal.cdf(b - shift), density, -(b - shift) * density);
        };
        if (increment <= 0) {
            return evaluated(below, low);
        }
        double belowHigh = from == null ? StandardNormal.cdf(high - shift) : from.below(t, high, drift);
        if (belowHigh <= increment) {
            // The efficacy and futility boundaries meet: everything that does not cross continues no further.
            return new Root(high, belowHigh);
        }
        double start = Math.max(low, Math.min(high, StandardNormal.quantile(increment) + shift));
        return solveTail(below, increment, low, high, start, true);
    }

    private static Root evaluated(DoubleFunction<Tail> tail, double x) {
        return new Root(x, tail.apply(x).probability());
    }

    /** A tail probability at a point and its first and second derivatives there. */
    record Tail(double probability, double slope, double curvature) {

        Tail times(double factor) {
            return new Tail(factor * probability, factor * slope, factor * curvature);
        }
    }

    /** A boundary and the tail probability at it. */
    record Root(double x, double probability) {
    }

    /**
     * The root in [low, high] of probability(x) = target, for a monotone tail probability known with its first two
     * derivatives, and the probability there. Halley's method on the logarithm g = log(probability / target), nearly
     * linear in x for a normal tail: a step h = -(g/g') / (1 - g g''/2g'²) leaves an error of about
     * ((g''/2g')² - g'''/6g') h³, so it converges in two to three evaluations where Newton's method took four to five,
     * and bisection to 1e-12 over forty. Kept inside a shrinking bracket: a step that leaves it, or an evaluation that
     * underflows, bisects instead; far from the root (the correction above 1/2) it takes Newton's step.
     */
    private static Root solveTail(DoubleFunction<Tail> tail, double target,
                                  double low, double high, double start, boolean increasing) {
        double logTarget = Math.log(target);
        double x = start;
        for (int i = 0; i < 200 && high - low > 1e-12; i++) {
            Tail here = tail.apply(x);
            double p = here.probability();
            boolean rootAbove = increasing ? p < target : p > target;
            if (rootAbove) {
                low = x;
            } else {
                high = x;
            }
            double g = Math.log(p) - logTarget;
            double g1 = here.slope() / p;
            double half = (here.curvature() / p - g1 * g1) / (2 * g1);
            double newton = -g / g1;
            double correction = newton * half;
            double step = Math.abs(correction) <= 0.5 ? newton / (1 + correction) : newton;
            double next = x + step;
            // Converged when the error left after this step is below 1e-15: (g''/2g')² h³ by what is known here, and
            // a step below 1e-7 for the third derivative's share (g'''/g' is about 1/sd² of the narrowest kernel, up
            // to 1e6 after a look with little new information). Then no further evaluation is needed, and the
            // probability at the root is the expansion of its logarithm from here (error of the same order). A
            // small step alone is not enough: where p rests on terms of 1e-50 the slope can still be far larger, so
            // p must be near the target too. Tested before the bracket: x has just become one of its ends, and a
            // converged step lands on that end, which the open-bracket test below would take for a step outside
            // and bisect, about forty times, to 1e-12.
            if (Math.abs(step) < 1e-7 && half * half * Math.abs(step * step * step) < 1e-15 && Math.abs(g) < 1e-4
                    && next >= low && next <= high) {
                return new Root(next, p * Math.exp(step * g1 * (1 + half * step)));
            }
            if (!(next > low && next < high)) {
                next = (low + high) / 2;
            }
            x = next;
        }
        return evaluated(tail, (low + high) / 2);
    }

    /**
     * The sub-density, at the last look (fraction s), of the paths that have not stopped: z between the bounds on an
     * evenly spaced grid, kept with its Simpson weights ({@code weighted[i]}: weight x density, the grid spacing
     * included) since every use integrates it.
     */
    private record Continuing(double s, double[] grid, double[] weighted) {

        /** Old grid spacings per kernel standard deviation above which the grid is refined ({@link #resolving}). */
        private static final double MAX_SPACING = 0.7;
        private static final int MAX_REFINEMENT = 64;
        /** Below this a normal kernel's value cannot matter: probabilities that count here are above 1e-20. */
        private static final double NEGLIGIBLE = 1e-40;
        private static final double NEGLIGIBLE_U = Math.sqrt(-2 * Math.log(NEGLIGIBLE));
        /**
         * Phi(x) is 1 to within 1e-19 above this, so a term beyond it counts its whole weight; below -NEGLIGIBLE_U it
         * is under NEGLIGIBLE, and the term is left out, as kernel values that small are (at most 1e-40 of the
         * weights).
         */
        private static final double TAIL = 9;

        /**
         * @param symmetric the paths continue between -c and c under the null (efficacy boundaries), so the density is
         *                  symmetric: half of it is computed and mirrored
         */
        static Continuing at(Continuing from, double t, double lower, double upper, double drift, boolean symmetric) {
            double[] grid = new double[GRID];
            for (int i = 0; i < GRID; i++) {
                grid[i] = lower + (upper - lower) * i / (GRID - 1);
            }
            double[] density = new double[GRID];
            if (from == null) {
                for (int i = 0; i < GRID; i++) {
                    density[i] = StandardNormal.density(grid[i] - drift * Math.sqrt(t));
                }
            } else {
                int last = symmetric ? GRID / 2 : GRID - 1;
                from.densitiesOnGrid(t, lower, grid[1] - grid[0], drift, density, last);
                for (int j = last + 1; j < GRID; j++) {
                    density[j] = density[GRID - 1 - j];
                }
            }
            double h = grid[1] - grid[0];
            double[] weighted = new double[GRID];
            for (int i = 0; i < GRID; i++) {
                weighted[i] = simpson(i, GRID) * h / 3 * density[i];
            }
            return new Continuing(t, grid, weighted);
        }

        /**
         * This density as the step to fraction t needs it. Integrated against the step's normal kernel by Simpson's
         * rule, the grid must be fine against the kernel. With e old grid spacings to a kernel standard deviation, a
         * look with little new information (a small study after large ones: 0.01% more information gives e of about
         * 2) is computed from a few samples of its kernel, and its boundary and every later one are off: by 0.5% at
         * the last look of one design, against a grid ten times finer. At e = 0.62 the same comparison was within
         * 4e-7, the 401-point grid's own accuracy. So when e is above MAX_SPACING the density is interpolated (cubic,
         * between the old points) onto a grid that many times finer; at most MAX_REFINEMENT times, which covers a
         * step down to about 1e-6 of the information accrued (the limit depends on the grid's span; smaller steps stay
         * under-resolved). The interpolation cannot follow the shoulder a previous
         * boundary leaves when steps are small one after another: 1e-4 at one look of GroupSequentialBoundariesTest's
         * design of three small studies, a few 1e-6 elsewhere.
         */
        Continuing resolving(double t) {
            double sd = Math.sqrt(t - s);
            double h = grid[1] - grid[0];
            double e = h * Math.sqrt(s) / sd;
            if (!(e > MAX_SPACING) || !(h > 0)) {
                return this;
            }
            int m = (int) Math.min(MAX_REFINEMENT, Math.ceil(e / MAX_SPACING));
            int n = grid.length;
            double[] density = new double[n];
            for (int i = 0; i < n; i++) {
                density[i] = weighted[i] / (simpson(i, n) * h / 3);
            }
            int fine = (n - 1) * m + 1;
            double lower = grid[0];
            double upper = grid[n - 1];
            double fineH = (upper - lower) / (fine - 1);
            double[] fineGrid = new double[fine];
            double[] fineWeighted = new double[fine];
            for (int q = 0; q < fine; q++) {
                fineGrid[q] = lower + (upper - lower) * q / (fine - 1);
                int i = q / m;
                double value;
                if (q % m == 0) {
                    value = density[i];
                } else {
                    // Lagrange through the four old points around (one-sided at the ends), x in old spacings from the first.
                    int first = Math.max(0, Math.min(n - 4, i - 1));
                    double x = (double) q / m - first;
                    value = density[first] * (x - 1) * (x - 2) * (x - 3) / -6
                            + density[first + 1] * x * (x - 2) * (x - 3) / 2
                            + density[first + 2] * x * (x - 1) * (x - 3) / -2
                            + density[first + 3] * x * (x - 1) * (x - 2) / 6;
                }
                fineWeighted[q] = simpson(q, fine) * fineH / 3 * value;
            }
            return new Continuing(s, fineGrid, fineWeighted);
        }

        /** Simpson's weight (1, 4, 2, ..., 4, 1) of point i of n. */
        private static double simpson(int i, int n) {
            return i == 0 || i == n - 1 ? 1 : i % 2 == 1 ? 4 : 2;
        }

        /**
         * P(continuing here, Z_t above x) ({@code upper}) or below it, with its first and second derivatives in x
         * (minus or plus the sub-density of Z_t at x, and its slope), in one pass over the grid: Halley's method needs
         * all three at every step. Terms where the kernel is below NEGLIGIBLE are left out of the density, and of the
         * probability on the side where Phi is that small (beyond TAIL on the other side they count their whole
         * weight).
         */
        Tail tail(double t, double x, double drift, boolean upper) {
            double sd = Math.sqrt(t - s);
            double probability = 0;
            double density = 0;
            // The density's derivative in u: sum of -u phi(u).
            double falling = 0;
            for (int i = 0; i < grid.length; i++) {
                double u = (x * Math.sqrt(t) - mean(i, t, drift)) / sd;
                probability += probabilityTerm(weighted[i], upper ? -u : u);
                if (Math.abs(u) <= NEGLIGIBLE_U) {
                    double term = weighted[i] * Math.exp(-u * u / 2);
                    density += term;
                    falling -= u * term;
                }
            }
            double perX = Math.sqrt(t) / sd;
            density = density * perX / Math.sqrt(2 * Math.PI);
            double derivative = falling * perX * perX / Math.sqrt(2 * Math.PI);
            // Above x the probability falls by the density, below it grows by it.
            return upper ? new Tail(probability, -density, -derivative) : new Tail(probability, density, derivative);
        }

        /**
         * Sub-density of Z_t at the points lower + j step, j = 0..last, of a grid of GRID points: the same sums as
         * the density of {@link #tail}, without an exponential per pair of points. The normal kernel of old point i along the new
         * grid is a Gaussian in j, so it is carried from point to point by products: phi(u + d) = phi(u) r with
         * r = exp(-u d - d²/2), and r itself shrinks by exp(-d²) a step. Each kernel starts with one exponential at
         * the first pass of eight new points in which it counts (|u| at most NEGLIGIBLE_U at one of them), and is left
         * out from the first pass that starts beyond NEGLIGIBLE_U (terms a little past either end are added: they are
         * below NEGLIGIBLE of the kernel's scale). The loop runs over the old points for eight new points at a time: the eight sums stay in
         * registers, and each old point's kernel and ratio are read and written once per eight new points (point by
         * point, those loads and stores were most of the time). Rounding grows with the square of the steps a kernel
         * is carried: about 1e-11 relative after the 400 of a whole grid.
         */
        void densitiesOnGrid(double t, double lower, double step, double drift, double[] into, int last) {
            double sd = Math.sqrt(t - s);
            double rootT = Math.sqrt(t);
            double d = step * rootT / sd;
            double norm = rootT / sd / Math.sqrt(2 * Math.PI);
            // u of old point i at new point j: a0 - i e + j d, falling with i.
            double a0 = (lower * rootT - mean(0, t, drift)) / sd;
            double e = (grid[1] - grid[0]) * Math.sqrt(s) / sd;
            if (!(e > 0)) {
                return;
            }
            if (d > 1) {
                // A kernel narrower than the new grid's spacing (a look with very little new information) reaches
                // few points, and carried by products from up to seven points before it counts it could start below
                // the smallest double: each of its values is one exponential.
                directOnGrid(t, lower, step, drift, into, last);
                return;
            }
            double stepShrink = Math.exp(-d * d);
            int n = grid.length;
            double[] kernel = new double[n];
            double[] ratio = new double[n];
            int entered = 0;
            int low = 0;
            double[] sums = new double[8];
            for (int j = 0; j <= last; j += 8) {
                double centre = a0 + j * d;
                // Old points whose kernel reaches this new point or the next seven: |centre - i e| <= NEGLIGIBLE_U.
                int high = (int) Math.min(n - 1, Math.floor((centre + 7 * d + NEGLIGIBLE_U) / e));
                while (low < n && centre - low * e > NEGLIGIBLE_U) {
                    low++;
                }
                for (int i = Math.max(entered, low); i <= high; i++) {
                    // From the old point itself: a0 - i e would carry the rounding of e, 400 times over at the top.
                    double u = (lower * rootT - mean(i, t, drift)) / sd + j * d;
                    kernel[i] = weighted[i] * norm * Math.exp(-u * u / 2);
                    ratio[i] = Math.exp(-u * d - d * d / 2);
                }
                entered = Math.max(entered, high + 1);
                double sum0 = 0;
                double sum1 = 0;
                double sum2 = 0;
                double sum3 = 0;
                double sum4 = 0;
                double sum5 = 0;
                double sum6 = 0;
                double sum7 = 0;
                for (int i = low; i <= high; i++) {
                    double k = kernel[i];
                    double r = ratio[i];
                    sum0 += k;
                    k *= r;
                    r *= stepShrink;
                    sum1 += k;
                    k *= r;
                    r *= stepShrink;
                    sum2 += k;
                    k *= r;
                    r *= stepShrink;
                    sum3 += k;
                    k *= r;
                    r *= stepShrink;
                    sum4 += k;
                    k *= r;
                    r *= stepShrink;
                    sum5 += k;
                    k *= r;
                    r *= stepShrink;
                    sum6 += k;
                    k *= r;
                    r *= stepShrink;
                    sum7 += k;
                    kernel[i] = k * r;
                    ratio[i] = r * stepShrink;
                }
                sums[0] = sum0;
                sums[1] = sum1;
                sums[2] = sum2;
                sums[3] = sum3;
                sums[4] = sum4;
                sums[5] = sum5;
                sums[6] = sum6;
                sums[7] = sum7;
                for (int m = 0; m < sums.length && j + m <= last; m++) {
                    into[j + m] += sums[m];
                }
            }
        }

        /** As {@link #densitiesOnGrid}, an exponential per kernel value where it counts (|u| below NEGLIGIBLE_U). */
        private void directOnGrid(double t, double lower, double step, double drift, double[] into, int last) {
            double sd = Math.sqrt(t - s);
            double rootT = Math.sqrt(t);
            double d = step * rootT / sd;
            double norm = rootT / sd / Math.sqrt(2 * Math.PI);
            for (int i = 0; i < grid.length; i++) {
                double scale = weighted[i] * norm;
                if (scale == 0) {
                    continue;
                }
                double a = (lower * rootT - mean(i, t, drift)) / sd;
                int bottom = (int) Math.max(0, Math.ceil((-NEGLIGIBLE_U - a) / d));
                int top = (int) Math.min(last, Math.floor((NEGLIGIBLE_U - a) / d));
                for (int j = bottom; j <= top; j++) {
                    double u = a + j * d;
                    into[j] += scale * Math.exp(-u * u / 2);
                }
            }
        }

        /**
         * P(continuing here, |Z_t| at or beyond c) under the null for paths continuing between symmetric bounds (every
         * efficacy look): twice the upper tail, the lower one being its mirror image.
         */
        double crossingUnderNull(double t, double c) {
            return 2 * above(t, c, 0);
        }

        /** P(continuing here, Z_t below x). */
        double below(double t, double x, double drift) {
            return probability(t, x, drift, false);
        }

        /** P(continuing here, Z_t above x). */
        double above(double t, double x, double drift) {
            return probability(t, x, drift, true);
        }

        /** P(continuing here, Z_t above x) ({@code upper}) or below it: {@link #tail} without the density. */
        private double probability(double t, double x, double drift, boolean upper) {
            double sd = Math.sqrt(t - s);
            double sum = 0;
            for (int i = 0; i < grid.length; i++) {
                double u = (x * Math.sqrt(t) - mean(i, t, drift)) / sd;
                sum += probabilityTerm(weighted[i], upper ? -u : u);
            }
            return sum;
        }

        /**
         * An old point's share of a tail probability: its weight times Phi(z); the whole weight beyond TAIL, nothing
         * below -NEGLIGIBLE_U.
         */
        private static double probabilityTerm(double weight, double z) {
            return z > TAIL ? weight : z > -NEGLIGIBLE_U ? weight * StandardNormal.cdf(z) : 0;
        }

        /** E[W(t) | Z_s = grid[i]]: W grows by drift per unit of information fraction. */
        private double mean(int i, double t, double drift) {
            return grid[i] * Math.sqrt(s) + drift * (t - s);
        }
    }
}
