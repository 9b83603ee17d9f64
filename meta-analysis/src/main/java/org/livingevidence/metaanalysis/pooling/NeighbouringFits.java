package org.livingevidence.metaanalysis.pooling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A random-effects model's test refitted many times over with one study replaced, added or removed: what the
 * fragility index and the new-study searches do thousands of times per estimate. The result is
 * {@link RandomEffects#test} of the changed studies, by the same algorithm from the same start (REML and ML: Fisher
 * scoring from the Hedges estimate, finished by Newton's steps).
 *
 * <p>What makes it fast for REML and ML: each iteration needs sums over the studies of w^p e^q at the iteration's tau²
 * (w = 1 / (v + tau²)). The candidates differ from these studies in one study, and their iterations pass close to the
 * same values of tau², so the sums over these studies are expanded once around such a value tau₀² (a point), in
 * powers of (tau² - tau₀²) max(w), and a candidate's iteration adds up a few terms of that series (exact to rounding
 * within {@value #RADIUS} of the point), then takes out the study it drops and puts in the one it adds. An iteration
 * costs a few dozen operations instead of a pass over k studies. Points are made where the candidates' iterations
 * go; where none is near enough, the sums are taken directly. Other estimators, and fewer than {@value #MIN_STUDIES}
 * studies, are refitted directly.
 */
public final class NeighbouringFits {

    /** Below this many studies a direct pass is as cheap as the expansion. */
    static final int MIN_STUDIES = 10;
    /** The series is used where |tau² - tau₀²| max(w) is at most this: 21 terms then leave well below rounding. */
    static final double RADIUS = 0.1;
    /**
     * The highest power of the series: within RADIUS, {@link Point#sums} has stopped by then (0.1^21 times the largest
     * coefficient, 231, is below NEGLIGIBLE), so higher ones would be computed and never read.
     */
    private static final int TERMS = 20;
    private static final int MAX_POINTS = 32;
    private static final double NEGLIGIBLE = 1e-18;
    /** A sum smaller than this fraction of what was added up to make it is taken directly (it would keep 13 digits). */
    private static final double CANCELLATION = 1e-3;
    /** Iterations within which the expansion's result is trusted to follow the refit's path. */
    private static final int SETTLED_WITHIN = 50;

    private final double[] y;
    private final double[] v;
    private final Tau2Method method;
    private final CiMethod ciMethod;
    private final boolean expands;
    /** The centre of every point's residuals: the unweighted mean of these studies. */
    private final double centre;
    private final double sumE;
    private final double sumE2;
    private final double sumV;
    private final double minV;
    private final List<Point> points = new ArrayList<>();
    private final Candidate candidate = new Candidate();

    public NeighbouringFits(double[] y, double[] v, Tau2Method method, CiMethod ciMethod) {
        if (y.length == 0 || y.length != v.length) {
            throw new IllegalArgumentException("at least one study, with one variance per effect, is needed to pool");
        }
        this.y = y.clone();
        this.v = v.clone();
        this.method = method;
        this.ciMethod = ciMethod;
        this.expands = (method == Tau2Method.REML || method == Tau2Method.ML) && y.length >= MIN_STUDIES;
        this.centre = new Studies(this.y, this.v).unweightedMean();
        double e1 = 0;
        double e2 = 0;
        double sv = 0;
        double least = Double.POSITIVE_INFINITY;
        for (int i = 0; i < y.length; i++) {
            double e = y[i] - centre;
            e1 += e;
            e2 += e * e;
            sv += v[i];
            least = Math.min(least, v[i]);
        }
        this.sumE = e1;
        this.sumE2 = e2;
        this.sumV = sv;
        this.minV = least;
    }

    /** The model with study {@code index} replaced by one showing {@code effect} with variance {@code variance}. */
    public SignificanceTest replacing(int index, double effect, double variance) {
        if (index < 0 || index >= y.length) {
            throw new IndexOutOfBoundsException(index);
        }
        return fit(index, true, effect, variance);
    }

    /** The model with one more study. */
    public SignificanceTest adding(double effect, double variance) {
        return fit(-1, true, effect, variance);
    }

    /** The model without study {@code index}; null when no study would be left. */
    public SignificanceTest removing(int index) {
        if (index < 0 || index >= y.length) {
            throw new IndexOutOfBoundsException(index);
        }
        return y.length == 1 ? null : fit(index, false, Double.NaN, Double.NaN);
    }

    /** The model of these studies as they are. */
    public SignificanceTest unchanged() {
        return fit(-1, false, Double.NaN, Double.NaN);
    }

    private SignificanceTest fit(int removed, boolean adds, double addedY, double addedV) {
        int k = y.length - (removed >= 0 ? 1 : 0) + (adds ? 1 : 0);
        if (!expands || k < MIN_STUDIES || adds && !(Double.isFinite(addedY) && addedV > 0 && Double.isFinite(addedV))) {
            return direct(removed, adds, addedY, addedV);
        }
        candidate.set(removed, adds, addedY, addedV, k);
        double e1 = sumE;
        double e2 = sumE2;
        double sv = sumV;
        if (removed >= 0) {
            double e = y[removed] - centre;
            e1 -= e;
            e2 -= e * e;
            sv -= v[removed];
        }
        if (adds) {
            double e = addedY - centre;
            e1 += e;
            e2 += e * e;
            sv += addedV;
        }
        double meanE = e1 / k;
        double hedges = Math.max(0, (e2 - k * meanE * meanE) / (k - 1) - sv / k);
        Tau2Estimate tau2 = Tau2Estimators.fisherScoring(candidate, method, hedges, centre + meanE);
        if (!tau2.converged() || tau2.iterations() > SETTLED_WITHIN) {
            // A likelihood the iteration barely climbs (or not at all) is where rounding decides the path: the
            // refit's rounding, so that the figures are the refit's.
            return direct(removed, adds, addedY, addedV);
        }
        double t2 = tau2.tau2();
        double[] sum = candidate.scratch;
        candidate.at(t2, centre + meanE, sum);
        double mu = centre + meanE + sum[1] / sum[0];
        candidate.at(t2, mu, sum);
        double sw = sum[0];
        mu += sum[1] / sw;
        if (ciMethod == CiMethod.HKSJ) {
            double q = (sum[2] - sum[1] * sum[1] / sw) / (k - 1);
            if (q < 1e-8) {
                // The studies (nearly) agree: what the direct computation floors exactly at 0 needs the studies.
                return direct(removed, adds, addedY, addedV);
            }
            return new SignificanceTest(mu, Math.sqrt(q / sw), k - 1);
        }
        return new SignificanceTest(mu, Math.sqrt(1 / sw), 0);
    }

    private SignificanceTest direct(int removed, boolean adds, double addedY, double addedV) {
        Studies s = candidate.materialise(removed, adds, addedY, addedV);
        return RandomEffects.test(s.y(), s.v(), method, ciMethod);
    }

    /** These studies' sums expanded around one tau₀²: u = w / max(w), terms[(p - 1, n, q)] = sum of w^p u^n e^q. */
    private final class Point {
        final double tau2;
        final double maxW;
        final double[] terms = new double[3 * (TERMS + 1) * 3];

        /**
         * w^p u^n = max(w)^p u^(n + p), so the nine sums of a term are three sums of u^m e^q (m = n + 1 to n + 3) times
         * a power of max(w). A pass over the studies adds up three powers of u at a time: nine sums in locals, which
         * the processor adds side by side (one power a pass waits for each addition to finish before the next). One
         * pass per term adding all nine of its sums was most of a new-study search's time at k = 5,000. Each sum is
         * over the studies in their order; a study whose u^m is below NEGLIGIBLE is left out from that pass on (its
         * share is below rounding).
         */
        Point(double tau2) {
            this.tau2 = tau2;
            this.maxW = 1 / (minV + tau2);
            int k = y.length;
            double[] u = new double[k];
            double[] e = new double[k];
            double[] um = new double[k];
            for (int i = 0; i < k; i++) {
                u[i] = 1 / (v[i] + tau2) * (1 / maxW);
                e[i] = y[i] - centre;
                um[i] = u[i];
            }
            // sums[3 (m - 1) + q] = sum of u^m e^q; m = 1 to TERMS + 3 covers p = 1 to 3 and n = 0 to TERMS.
            int powers = TERMS + 3;
            double[] sums = new double[3 * (powers + 2)];
            int highest = 0;
            for (int m = 1; m <= powers; m += 3) {
                double a0 = 0, a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0, c0 = 0, c1 = 0, c2 = 0;
                boolean any = false;
                for (int i = 0; i < k; i++) {
                    double first = um[i];
                    if (first > NEGLIGIBLE) {
                        any = true;
                        double ei = e[i];
                        double ui = u[i];
                        double second = first * ui;
                        double third = second * ui;
                        double firstE = first * ei;
                        double secondE = second * ei;
                        double thirdE = third * ei;
                        a0 += first;
                        a1 += firstE;
                        a2 += firstE * ei;
                        b0 += second;
                        b1 += secondE;
                        b2 += secondE * ei;
                        c0 += third;
                        c1 += thirdE;
                        c2 += thirdE * ei;
                        um[i] = third * ui;
                    }
                }
                if (!any) {
                    break;
                }
                int at = 3 * (m - 1);
                sums[at] = a0;
                sums[at + 1] = a1;
                sums[at + 2] = a2;
                sums[at + 3] = b0;
                sums[at + 4] = b1;
                sums[at + 5] = b2;
                sums[at + 6] = c0;
                sums[at + 7] = c1;
                sums[at + 8] = c2;
                highest = m + 2;
            }
            double scale = maxW;
            for (int p = 0; p < 3; p++) {
                for (int n = 0; n <= TERMS && n + p + 1 <= highest; n++) {
                    int at = 3 * (n + p);
                    set(p, n, scale * sums[at], scale * sums[at + 1], scale * sums[at + 2]);
                }
                scale *= maxW;
            }
        }

        private void set(int p, int n, double sum, double sumE, double sumEe) {
            int at = (p * (TERMS + 1) + n) * 3;
            terms[at] = sum;
            terms[at + 1] = sumE;
            terms[at + 2] = sumEe;
        }

        /** |tau² - tau₀²| max(w): how far the series has to reach. */
        double reach(double t2) {
            return Math.abs(t2 - tau2) * maxW;
        }

        /** The sums at tau², centred on {@link #centre}: sum over n of C(p, n) (-(tau² - tau₀²) max(w))^n terms. */
        void sums(double t2, double[] out) {
            Arrays.fill(out, 0);
            double x = -(t2 - tau2) * maxW;
            double xn = 1;
            for (int n = 0; n <= TERMS; n++) {
                // C(p, n) = binomial(p + n - 1, n) for (1 + x)^-p
                double c2 = n + 1;
                double c3 = (n + 1) * (n + 2) / 2.0;
                int at1 = n * 3;
                int at2 = ((TERMS + 1) + n) * 3;
                int at3 = (2 * (TERMS + 1) + n) * 3;
                out[0] += xn * terms[at1];
                out[1] += xn * terms[at1 + 1];
                out[2] += xn * terms[at1 + 2];
                out[3] += c2 * xn * terms[at2];
                out[4] += c2 * xn * terms[at2 + 1];
                out[5] += c2 * xn * terms[at2 + 2];
                out[6] += c3 * xn * terms[at3];
                out[7] += c3 * xn * terms[at3 + 1];
                out[8] += c3 * xn * terms[at3 + 2];
                xn *= x;
                if (Math.abs(xn) * c3 * 2 < NEGLIGIBLE) {
                    break;
                }
            }
        }
    }

    /** These studies with one removed and one added, as {@link WeightedSums} for the iteration. */
    private final class Candidate implements WeightedSums {
        private int removed;
        private boolean adds;
        private double addedY;
        private double addedV;
        private int k;
        final double[] scratch = new double[COUNT];
        private final double[] bound = new double[COUNT];
        private final Studies[] reused = new Studies[3];

        void set(int removed, boolean adds, double addedY, double addedV, int k) {
            this.removed = removed;
            this.adds = adds;
            this.addedY = addedY;
            this.addedV = addedV;
            this.k = k;
        }

        @Override
        public int k() {
            return k;
        }

        @Override
        public Studies studies() {
            return materialise(removed, adds, addedY, addedV);
        }

        @Override
        public void at(double tau2, double at, double[] out) {
            Point point = nearest(tau2);
            if (point == null) {
                studies().at(tau2, at, out);
                return;
            }
            point.sums(tau2, out);
            // Re-centre from the points' centre to this one: e' = e - shift. The bounds follow the size of what is
            // added up, to tell when the result is a small difference of large sums.
            double shift = at - centre;
            for (int p = 0; p < 3; p++) {
                int i = 3 * p;
                bound[i] = out[i];
                bound[i + 2] = out[i + 2] + Math.abs(shift) * (Math.abs(shift) * out[i] + 2 * Math.abs(out[i + 1]));
                out[i + 2] += shift * (shift * out[i] - 2 * out[i + 1]);
                out[i + 1] -= shift * out[i];
            }
            if (removed >= 0) {
                add(out, tau2, y[removed] - at, v[removed], -1);
            }
            if (adds) {
                add(out, tau2, addedY - at, addedV, 1);
            }
            for (int i = 0; i < COUNT; i += 3) {
                // Taking out a study that carries nearly all of a sum (a huge weight, a far outlier) leaves its rounding
                // as the result: such sums are taken directly.
                if (out[i] < CANCELLATION * bound[i] || out[i + 2] < CANCELLATION * bound[i + 2]) {
                    studies().at(tau2, at, out);
                    return;
                }
            }
        }

        private void add(double[] out, double tau2, double e, double variance, double sign) {
            double unsigned = 1 / (variance + tau2);
            double magnitude = unsigned;
            for (int p = 0; p < 3; p++) {
                int i = 3 * p;
                double w = sign * magnitude;
                out[i] += w;
                out[i + 1] += w * e;
                out[i + 2] += w * e * e;
                bound[i] += magnitude;
                bound[i + 2] += magnitude * e * e;
                magnitude *= unsigned;
            }
        }

        /** The changed studies, in arrays reused from call to call (one pair per size: k - 1, k, k + 1). */
        Studies materialise(int removed, boolean adds, double addedY, double addedV) {
            int n = y.length - (removed >= 0 ? 1 : 0) + (adds ? 1 : 0);
            int size = n - y.length + 1;
            if (reused[size] == null) {
                reused[size] = new Studies(new double[n], new double[n]);
            }
            double[] ys = reused[size].y();
            double[] vs = reused[size].v();
            // In the order a refit would see them: a replacement where the study it replaces was, an addition last.
            boolean replaces = removed >= 0 && adds;
            int at = 0;
            for (int i = 0; i < y.length; i++) {
                if (i == removed && replaces) {
                    ys[at] = addedY;
                    vs[at] = addedV;
                    at++;
                } else if (i != removed) {
                    ys[at] = y[i];
                    vs[at] = v[i];
                    at++;
                }
            }
            if (adds && !replaces) {
                ys[at] = addedY;
                vs[at] = addedV;
            }
            return reused[size];
        }
    }

    /** The point whose series reaches tau² best; a new one when none is near enough and there is room; else null. */
    private Point nearest(double tau2) {
        Point best = null;
        double reach = RADIUS;
        for (Point point : points) {
            double r = point.reach(tau2);
            if (r <= reach) {
                reach = r;
                best = point;
            }
        }
        if (best == null && points.size() < MAX_POINTS) {
            best = new Point(tau2);
            points.add(best);
        }
        return best;
    }
}
