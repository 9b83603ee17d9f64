package org.livingevidence.metaanalysis.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * The recursion's fast paths (kernels carried by products, Newton's method, the symmetric half) against the plain
 * quadrature they replace: the same grid and Simpson rule, every kernel value an exponential, every boundary found
 * by bisection. rpact's fixtures (TrialSequentialAnalysisTest) check the figures to 2e-6; this checks that the fast
 * paths change nothing beyond rounding, on designs with few and many looks, large and tiny steps of information.
 */
class GroupSequentialBoundariesTest {

    @Test
    void fastRecursionMatchesPlainQuadrature() {
        Random random = new Random(20261203);
        for (int design = 0; design < 40; design++) {
            int looks = 2 + random.nextInt(12);
            double step = design % 3 == 0 ? 0.01 : design % 3 == 1 ? 0.05 : 0.2;
            double alpha = design % 2 == 0 ? 0.05 : 0.01;
            assertMatchesPlainQuadrature("design " + design, fractions(random, looks, step), alpha, 2.8 + random.nextDouble(), false, 1e-9);
        }
    }

    /**
     * Where the fast paths change course: looks with almost no new information (kernels narrower than the grid's
     * spacing, computed directly), 150 looks (kernels carried across much of the grid), futility boundaries
     * that meet the efficacy ones (a large drift) or sit deep in the lower tail (a small one), and no opposite
     * efficacy boundary.
     */
    @Test
    void fastRecursionMatchesPlainQuadratureAtTheEdges() {
        Random random = new Random(3);
        double[] mixed = fractions(random, 30, 0.03);
        for (int i = 5; i < mixed.length; i += 3) {
            // A look a hair after the one before it: d far above 1.
            mixed[i] = mixed[i - 1] + 1e-9 * (i + 1);
            for (int j = i + 1; j < mixed.length; j++) {
                mixed[j] += 2e-9 * (i + 1);
            }
        }
        // A look right after another leaves a density of the old one's grid values, each multiplied by a kernel far
        // narrower than the grid's spacing; how large each comes out depends on where the new grid falls between old
        // points, so a boundary's last digits (bisection's 1e-13) move the next looks' densities by about 1e-9. Both
        // recursions compute that same sampled density; they agree to the digits the design leaves meaningful. (Such a
        // look also has almost nothing to spend: see spendable.)
        assertMatchesPlainQuadrature("mixed steps", mixed, 0.05, 3.2, false, 1e-7);
        double[] tiny = fractions(random, 12, 1e-7);
        for (int i = 0; i < tiny.length; i++) {
            tiny[i] += 0.3;
        }
        assertMatchesPlainQuadrature("tiny steps after a first look", tiny, 0.05, 3.2, false, 1e-7);
        assertMatchesPlainQuadrature("150 looks", fractions(random, 150, 0.006), 0.05, 3.2, false, 1e-9);
        assertMatchesPlainQuadrature("futility meets efficacy", fractions(random, 10, 0.1), 0.05, 7.5, false, 1e-9);
        assertMatchesPlainQuadrature("small drift", fractions(random, 10, 0.1), 0.01, 0.5, false, 1e-9);
        assertMatchesPlainQuadrature("no opposite boundary", fractions(random, 10, 0.1), 0.05, 3.2, true, 1e-9);
    }

    private static double[] fractions(Random random, int looks, double step) {
        double[] fractions = new double[looks];
        double accrued = 0;
        for (int i = 0; i < looks; i++) {
            accrued += step * (0.1 + random.nextDouble());
            fractions[i] = accrued;
        }
        return fractions;
    }

    /** Efficacy boundaries to {@code relative}, futility boundaries to ten times that (at least in absolute terms). */
    private static void assertMatchesPlainQuadrature(String design, double[] fractions, double alpha, double drift,
                                                     boolean noOpposite, double relative) {
        int looks = fractions.length;
        List<Double> efficacy = GroupSequentialBoundaries.obrienFleming(fractions, alpha);
        double[] expected = PlainQuadrature.obrienFleming(fractions, alpha);
        double[] upper = new double[looks];
        double[] lower = new double[looks];
        for (int i = 0; i < looks; i++) {
            assertThat(efficacy.get(i)).as("%s look %d", design, i).isCloseTo(expected[i], within(relative * expected[i]));
            upper[i] = efficacy.get(i);
            lower[i] = noOpposite ? Double.NEGATIVE_INFINITY : -efficacy.get(i);
        }
        double[] futility = GroupSequentialBoundaries.betaSpendingFutility(fractions, upper, lower, drift, 0.1);
        double[] expectedFutility = PlainQuadrature.futility(fractions, upper, lower, drift, 0.1);
        for (int i = 0; i < looks; i++) {
            if (Double.isNaN(expectedFutility[i])) {
                assertThat(futility[i]).as("%s look %d", design, i).isNaN();
            } else {
                assertThat(futility[i]).as("%s look %d", design, i)
                        .isCloseTo(expectedFutility[i], within(10 * relative * Math.max(1, Math.abs(expectedFutility[i]))));
            }
        }
    }

    /** The Armitage-McPherson-Rowe recursion written out directly, as slow as it reads. */
    private static final class PlainQuadrature {

        private static final int GRID = 401;

        static double[] obrienFleming(double[] fractions, double alpha) {
            double[] boundaries = new double[fractions.length];
            double[][] previous = null;
            double s = 0;
            double spent = 0;
            for (int k = 0; k < fractions.length; k++) {
                double t = Math.min(fractions[k], 1);
                if (!(t > s)) {
                    boundaries[k] = k == 0 ? GroupSequentialBoundaries.MAX_BOUNDARY : boundaries[k - 1];
                    continue;
                }
                double increment = GroupSequentialBoundaries.spendable(OBrienFlemingSpending.twoSidedAlpha(t, alpha), spent);
                double[][] from = previous;
                double fromS = s;
                DoubleUnaryOperator crossing = c -> from == null ? 2 * StandardNormal.cdf(-c)
                        : below(from, fromS, t, -c, 0) + above(from, fromS, t, c, 0);
                double c = crossing.applyAsDouble(GroupSequentialBoundaries.MAX_BOUNDARY) >= increment
                        ? GroupSequentialBoundaries.MAX_BOUNDARY
                        : bisect(0, GroupSequentialBoundaries.MAX_BOUNDARY, x -> crossing.applyAsDouble(x) - increment, false);
                boundaries[k] = c;
                spent += crossing.applyAsDouble(c);
                previous = density(from, fromS, t, -c, c, 0);
                s = t;
            }
            return boundaries;
        }

        static double[] futility(double[] fractions, double[] upper, double[] opposite, double drift, double beta) {
            double[] futility = new double[fractions.length];
            java.util.Arrays.fill(futility, Double.NaN);
            double[][] previous = null;
            double s = 0;
            double spent = 0;
            for (int k = 0; k < fractions.length && fractions[k] < 1; k++) {
                double t = fractions[k];
                double increment = GroupSequentialBoundaries.spendable(OBrienFlemingSpending.oneSided(t, beta), spent);
                double[][] from = previous;
                double fromS = s;
                DoubleUnaryOperator belowB = b -> from == null ? StandardNormal.cdf(b - drift * Math.sqrt(t)) : below(from, fromS, t, b, drift);
                double low = Math.max(opposite[k], drift * Math.sqrt(t) - 2 * GroupSequentialBoundaries.MAX_BOUNDARY);
                double b = increment <= 0 ? low : belowB.applyAsDouble(upper[k]) <= increment ? upper[k]
                        : bisect(low, upper[k], x -> belowB.applyAsDouble(x) - increment, true);
                futility[k] = b;
                spent += belowB.applyAsDouble(b);
                previous = density(from, fromS, t, Math.max(b, opposite[k]), upper[k], drift);
                s = t;
            }
            return futility;
        }

        /** {grid, density} of the paths continuing at t between lower and upper. */
        private static double[][] density(double[][] from, double s, double t, double lower, double upper, double drift) {
            double[] grid = new double[GRID];
            double[] density = new double[GRID];
            for (int j = 0; j < GRID; j++) {
                grid[j] = lower + (upper - lower) * j / (GRID - 1);
                if (from == null) {
                    density[j] = StandardNormal.density(grid[j] - drift * Math.sqrt(t));
                } else {
                    double z = grid[j];
                    density[j] = simpson(from, i -> StandardNormal.density((z * Math.sqrt(t) - mean(from, i, s, t, drift)) / Math.sqrt(t - s))
                            * Math.sqrt(t) / Math.sqrt(t - s));
                }
            }
            return new double[][] {grid, density};
        }

        private static double below(double[][] from, double s, double t, double x, double drift) {
            return simpson(from, i -> StandardNormal.cdf((x * Math.sqrt(t) - mean(from, i, s, t, drift)) / Math.sqrt(t - s)));
        }

        private static double above(double[][] from, double s, double t, double x, double drift) {
            return simpson(from, i -> StandardNormal.cdf((mean(from, i, s, t, drift) - x * Math.sqrt(t)) / Math.sqrt(t - s)));
        }

        private static double mean(double[][] from, int i, double s, double t, double drift) {
            return from[0][i] * Math.sqrt(s) + drift * (t - s);
        }

        private static double simpson(double[][] from, java.util.function.IntToDoubleFunction kernel) {
            double h = from[0][1] - from[0][0];
            double sum = 0;
            for (int i = 0; i < GRID; i++) {
                double weight = i == 0 || i == GRID - 1 ? 1 : i % 2 == 1 ? 4 : 2;
                sum += weight * from[1][i] * kernel.applyAsDouble(i);
            }
            return sum * h / 3;
        }

        private static double bisect(double low, double high, DoubleUnaryOperator f, boolean increasing) {
            for (int i = 0; i < 200 && high - low > 1e-13; i++) {
                double mid = (low + high) / 2;
                if (increasing ? f.applyAsDouble(mid) < 0 : f.applyAsDouble(mid) > 0) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            return (low + high) / 2;
        }
    }
}
