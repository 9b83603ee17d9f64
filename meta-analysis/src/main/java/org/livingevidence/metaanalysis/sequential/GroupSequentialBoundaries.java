package org.livingevidence.metaanalysis.sequential;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.StandardNormal;

/**
 * Two-sided efficacy boundaries for looks at increasing information fractions, so that the probability under
 * the null of first crossing at each look equals the alpha spent since the previous one (Lan and DeMets 1983).
 * The joint distribution of the cumulative z statistics is that of Brownian motion; the sub-density of
 * "not yet crossed" is carried from look to look by numerical integration (Simpson's rule on a grid that ends at
 * the boundaries, Armitage, McPherson and Rowe 1969).
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
        double[] grid = null;
        double[] density = null;
        double previousT = 0;
        double spent = 0;
        for (double fraction : fractions) {
            double t = Math.min(fraction, 1);
            if (!(t > previousT)) {
                // No information since the last look (or past the required size): no alpha left to spend.
                boundaries.add(boundaries.isEmpty() ? MAX_BOUNDARY : boundaries.get(boundaries.size() - 1));
                continue;
            }
            double increment = AlphaSpending.obrienFleming(t, alpha) - spent;
            double c;
            if (grid == null) {
                c = increment <= 0 ? MAX_BOUNDARY : Math.min(MAX_BOUNDARY, StandardNormal.quantile(1 - increment / 2));
            } else {
                c = solveBoundary(grid, density, previousT, t, increment);
            }
            boundaries.add(c);
            // The alpha actually spent (a capped boundary spends less than its share).
            spent += grid == null ? 2 * (1 - StandardNormal.cdf(c)) : crossing(grid, density, previousT, t, c);
            double[] nextGrid = grid(c);
            double[] nextDensity = new double[GRID];
            for (int j = 0; j < GRID; j++) {
                nextDensity[j] = grid == null ? StandardNormal.density(nextGrid[j])
                        : transition(grid, density, previousT, t, nextGrid[j]);
            }
            grid = nextGrid;
            density = nextDensity;
            previousT = t;
        }
        return boundaries;
    }

    private static double[] grid(double c) {
        double[] z = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            z[i] = -c + 2 * c * i / (GRID - 1);
        }
        return z;
    }

    /** P(not crossed before, |Z_t| >= c) given the sub-density at the previous look. */
    private static double crossing(double[] grid, double[] density, double s, double t, double c) {
        double sd = Math.sqrt(t - s);
        double[] values = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            double mean = grid[i] * Math.sqrt(s);
            double lower = StandardNormal.cdf((-c * Math.sqrt(t) - mean) / sd);
            double upper = 1 - StandardNormal.cdf((c * Math.sqrt(t) - mean) / sd);
            values[i] = density[i] * (lower + upper);
        }
        return simpson(values, grid[1] - grid[0]);
    }

    /** Sub-density of Z_t at z, for paths not stopped before. */
    private static double transition(double[] grid, double[] density, double s, double t, double z) {
        double sd = Math.sqrt(t - s);
        double[] values = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            values[i] = density[i] * StandardNormal.density((z * Math.sqrt(t) - grid[i] * Math.sqrt(s)) / sd) * Math.sqrt(t) / sd;
        }
        return simpson(values, grid[1] - grid[0]);
    }

    private static double solveBoundary(double[] grid, double[] density, double s, double t, double increment) {
        if (increment <= 0 || crossing(grid, density, s, t, MAX_BOUNDARY) >= increment) {
            return MAX_BOUNDARY;
        }
        double low = 0;
        double high = MAX_BOUNDARY;
        for (int i = 0; i < 200 && high - low > 1e-12; i++) {
            double mid = (low + high) / 2;
            if (crossing(grid, density, s, t, mid) > increment) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    private static double simpson(double[] f, double h) {
        double sum = f[0] + f[f.length - 1];
        for (int i = 1; i < f.length - 1; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f[i];
        }
        return sum * h / 3;
    }
}
