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
 * quadrature they replace: every kernel value an exponential, every boundary found by bisection. On the same grid
 * and Simpson rule the fast paths change nothing beyond rounding, on designs with few and many looks and large and
 * small steps of information; where a step is too small for the 401-point grid (the fast recursion refines it), the
 * reference is the plain quadrature on 4,001 points. rpact's fixtures (TrialSequentialAnalysisTest) check the
 * figures to 2e-6.
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
     * Where the fast paths change course: 150 looks (kernels carried across much of the grid), futility boundaries
     * that meet the efficacy ones (a large drift) or sit deep in the lower tail (a small one), and no opposite
     * efficacy boundary.
     */
    @Test
    void fastRecursionMatchesPlainQuadratureAtTheEdges() {
        Random random = new Random(3);
        assertMatchesPlainQuadrature("150 looks", fractions(random, 150, 0.006), 0.05, 3.2, false, 1e-9);
        assertMatchesPlainQuadrature("futility meets efficacy", fractions(random, 10, 0.1), 0.05, 7.5, false, 1e-9);
        assertMatchesPlainQuadrature("small drift", fractions(random, 10, 0.1), 0.01, 0.5, false, 1e-9);
        assertMatchesPlainQuadrature("no opposite boundary", fractions(random, 10, 0.1), 0.05, 3.2, true, 1e-9);
    }

    /**
     * A look with little new information after large ones (a small study): its kernel is narrower than the 401-point
     * grid's spacing, which the fast recursion handles by refining the grid ({@code Continuing.resolving}) and the
     * plain one at 401 points cannot (it was 0.5% off at the last look of the first design, 1% in the second), so
     * the reference is the plain recursion on 4,001 points. What is left is the interpolation of a density with a
     * shoulder where the previous boundary cut it, steepest after consecutive small steps (the second design: 1.2e-4
     * at one look, a few 1e-6 at the others).
     */
    @Test
    void looksWithLittleNewInformationMatchAFineGrid() {
        assertMatchesPlainQuadrature("a small study after a large one", new double[] {0.3, 0.30003, 0.6, 0.9}, 0.05, 3.2,
                false, 1e-5, new PlainQuadrature(4001));
        assertMatchesPlainQuadrature("three small studies", new double[] {0.2, 0.4, 0.40005, 0.4001, 0.40015, 0.7, 0.95},
                0.05, 3.2, false, 2e-4, new PlainQuadrature(4001));
    }

    /**
     * A step of 1e-7 of the information needs more refinement than the cap allows (its kernel still spans a few fine
     * spacings: under-resolved, documented); no reference can be computed here, but the recursion must still give
     * boundaries, finite and in range, through the 25,601-point grid and the direct kernel path.
     */
    @Test
    void aStepBeyondTheRefinementCapStillGivesBoundaries() {
        double[] fractions = {0.3, 0.3 + 3e-8, 0.6, 0.9};
        List<Double> efficacy = GroupSequentialBoundaries.obrienFleming(fractions, 0.05);
        double[] upper = efficacy.stream().mapToDouble(Double::doubleValue).toArray();
        double[] lower = efficacy.stream().mapToDouble(c -> -c).toArray();
        double[] futility = GroupSequentialBoundaries.betaSpendingFutility(fractions, upper, lower, 3.2, 0.1);
        for (int i = 0; i < fractions.length; i++) {
            assertThat(efficacy.get(i)).as("look %d", i).isBetween(1.9, GroupSequentialBoundaries.MAX_BOUNDARY);
            assertThat(futility[i]).as("look %d", i).isFinite().isLessThanOrEqualTo(upper[i]);
        }
        // The final look still spends what is left: about the fixed design's 1.96 plus O'Brien-Fleming's inflation.
        assertThat(efficacy.get(3)).isBetween(2.0, 2.2);
    }

    /**
     * A look whose fraction overflows (a study's information 1/variance is infinite for a subnormal variance) is a look
     * at the required information, continuing from the looks before it, as a fraction of exactly 1 is; and the last
     * look needing no density after it does not change what comes before.
     */
    @Test
    void anInfiniteFractionIsALookAtTheRequiredInformation() {
        assertThat(GroupSequentialBoundaries.obrienFleming(new double[] {0.3, 0.7, Double.POSITIVE_INFINITY}, 0.05))
                .isEqualTo(GroupSequentialBoundaries.obrienFleming(new double[] {0.3, 0.7, 1}, 0.05));
        assertThat(GroupSequentialBoundaries.obrienFleming(new double[] {0.3, 0.7}, 0.05))
                .isEqualTo(GroupSequentialBoundaries.obrienFleming(new double[] {0.3, 0.7, 1}, 0.05).subList(0, 2));
        double[] upper = {3.0, 2.2, 2.0};
        double[] lower = {-3.0, -2.2, -2.0};
        assertThat(GroupSequentialBoundaries.betaSpendingFutility(new double[] {0.3, 0.7, Double.POSITIVE_INFINITY}, upper,
                lower, 3.2, 0.1)).containsExactly(GroupSequentialBoundaries.betaSpendingFutility(new double[] {0.3, 0.7, 1},
                upper, lower, 3.2, 0.1));
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
        assertMatchesPlainQuadrature(design, fractions, alpha, drift, noOpposite, relative, new PlainQuadrature(401));
    }

    private static void assertMatchesPlainQuadrature(String design, double[] fractions, double alpha, double drift,
                                                     boolean noOpposite, double relative, PlainQuadrature plain) {
        int looks = fractions.length;
        List<Double> efficacy = GroupSequentialBoundaries.obrienFleming(fractions, alpha);
        double[] expected = plain.obrienFleming(fractions, alpha);
        double[] upper = new double[looks];
        double[] lower = new double[looks];
        for (int i = 0; i < looks; i++) {
            assertThat(efficacy.get(i)).as("%s look %d", design, i).isCloseTo(expected[i], within(relative * expected[i]));
            upper[i] = efficacy.get(i);
            lower[i] = noOpposite ? Double.NEGATIVE_INFINITY : -efficacy.get(i);
        }
        double[] futility = GroupSequentialBoundaries.betaSpendingFutility(fractions, upper, lower, drift, 0.1);
        double[] expectedFutility = plain.futility(fractions, upper, lower, drift, 0.1);
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

        private final int grid;

        PlainQuadrature(int grid) {
            this.grid = grid;
        }

        double[] obrienFleming(double[] fractions, double alpha) {
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

        double[] futility(double[] fractions, double[] upper, double[] opposite, double drift, double beta) {
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
        private double[][] density(double[][] from, double s, double t, double lower, double upper, double drift) {
            double[] points = new double[grid];
            double[] density = new double[grid];
            for (int j = 0; j < grid; j++) {
                points[j] = lower + (upper - lower) * j / (grid - 1);
                if (from == null) {
                    density[j] = StandardNormal.density(points[j] - drift * Math.sqrt(t));
                } else {
                    double z = points[j];
                    density[j] = simpson(from, i -> StandardNormal.density((z * Math.sqrt(t) - mean(from, i, s, t, drift)) / Math.sqrt(t - s))
                            * Math.sqrt(t) / Math.sqrt(t - s));
                }
            }
            return new double[][] {points, density};
        }

        private double below(double[][] from, double s, double t, double x, double drift) {
            return simpson(from, i -> StandardNormal.cdf((x * Math.sqrt(t) - mean(from, i, s, t, drift)) / Math.sqrt(t - s)));
        }

        private double above(double[][] from, double s, double t, double x, double drift) {
            return simpson(from, i -> StandardNormal.cdf((mean(from, i, s, t, drift) - x * Math.sqrt(t)) / Math.sqrt(t - s)));
        }

        private static double mean(double[][] from, int i, double s, double t, double drift) {
            return from[0][i] * Math.sqrt(s) + drift * (t - s);
        }

        private double simpson(double[][] from, java.util.function.IntToDoubleFunction kernel) {
            double h = from[0][1] - from[0][0];
            double sum = 0;
            for (int i = 0; i < grid; i++) {
                double weight = i == 0 || i == grid - 1 ? 1 : i % 2 == 1 ? 4 : 2;
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
