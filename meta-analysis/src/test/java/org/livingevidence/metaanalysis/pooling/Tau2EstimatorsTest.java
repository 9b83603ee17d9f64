package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * REML and ML finish with Newton's steps once Fisher scoring is close: the maximum they end at must be the one
 * Fisher scoring alone, from the same start (metafor's algorithm, transcribed below), converges to, also where the
 * likelihood has several maxima.
 */
class Tau2EstimatorsTest {

    @ParameterizedTest
    @EnumSource(value = Tau2Method.class, names = {"REML", "ML"})
    void newtonsFinishEndsAtTheMaximumFisherScoringReaches(Tau2Method method) {
        Random random = new Random(2026);
        int compared = 0;
        int fewerIterations = 0;
        for (int set = 0; set < 5000; set++) {
            // Few studies with very unequal variances and outlying effects are where the likelihood is multimodal;
            // raw-unit mean differences (variances in the thousands) where tau² is large.
            int k = 2 + random.nextInt(set % 3 == 0 ? 6 : 60);
            double scale = set % 5 == 0 ? 1000 : 1;
            double[] y = new double[k];
            double[] v = new double[k];
            for (int i = 0; i < k; i++) {
                v[i] = scale * Math.exp(random.nextGaussian() * (set % 2 == 0 ? 2.5 : 0.7)) * 0.05;
                y[i] = Math.sqrt(scale) * (random.nextGaussian() * 0.4 + (random.nextInt(8) == 0 ? 2 : 0));
            }
            Studies studies = new Studies(y, v);
            Tau2Estimate fast = Tau2Estimators.estimate(studies, method);
            double[] reference = fisherScoringAlone(studies, method);
            if (reference[1] > Tau2Estimators.MAX_ITERATIONS) {
                // Fisher scoring alone gives up here (and falls back to DerSimonian-Laird); the finish may not.
                assertThat(fast.converged() ? fast.tau2() : reference[0]).as("set %d: k = %d", set, k)
                        .isCloseTo(reference[0], org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, reference[0])));
                continue;
            }
            assertThat(fast.converged()).as("set %d converged: %s", set, fast).isTrue();
            double tolerance = 1e-9 * Math.max(1, reference[0]);
            assertThat(fast.tau2()).as("set %d: k = %d", set, k).isCloseTo(reference[0], org.assertj.core.data.Offset.offset(tolerance));
            compared++;
            if (fast.iterations() < reference[1]) {
                fewerIterations++;
            }
        }
        assertThat(compared).isGreaterThan(4900);
        // The point of Newton's finish; were it never taken, this test would not test it.
        assertThat(fewerIterations).isGreaterThan(2500);
    }

    /** metafor's Fisher scoring from the Hedges estimate, step halving at the boundary; {tau², iterations}. */
    private static double[] fisherScoringAlone(Studies s, Tau2Method method) {
        double tau2 = Tau2Estimators.hedges(s);
        for (int iteration = 1; iteration <= 100_000; iteration++) {
            double sw = 0;
            double sw2 = 0;
            double sw3 = 0;
            double swy = 0;
            for (int i = 0; i < s.k(); i++) {
                double w = 1 / (s.v()[i] + tau2);
                sw += w;
                sw2 += w * w;
                sw3 += w * w * w;
                swy += w * s.y()[i];
            }
            double mu = swy / sw;
            double yPPy = 0;
            for (int i = 0; i < s.k(); i++) {
                double py = (s.y()[i] - mu) / (s.v()[i] + tau2);
                yPPy += py * py;
            }
            double adj = method == Tau2Method.REML
                    ? (yPPy - (sw - sw2 / sw)) / (sw2 - 2 * sw3 / sw + (sw2 / sw) * (sw2 / sw))
                    : (yPPy - sw) / sw2;
            while (tau2 + adj < 0) {
                adj /= 2;
                if (adj == 0) {
                    break;
                }
            }
            double next = Math.max(0, tau2 + adj);
            double change = Math.abs(next - tau2);
            tau2 = next;
            if (change < 1e-13 * Math.max(1, tau2)) {
                return new double[] {tau2, iteration};
            }
        }
        throw new AssertionError("the reference did not converge");
    }
}
