package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
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
        for (int set = 0; set < 20_000; set++) {
            // Few studies with very unequal variances and outlying effects are where the likelihood is multimodal;
            // raw-unit mean differences (variances in the thousands) where tau² is large; log ratios whose spread is
            // that of their variances, where tau² is small (a few thousandths) and the maxima lie close together.
            int k = 2 + random.nextInt(set % 3 == 0 ? 6 : 60);
            double scale = set % 5 == 0 ? 1000 : 1;
            boolean smallTau2 = set % 4 == 1;
            double[] y = new double[k];
            double[] v = new double[k];
            for (int i = 0; i < k; i++) {
                if (smallTau2) {
                    v[i] = 0.005 * Math.exp(random.nextGaussian() * 3);
                    y[i] = Math.sqrt(v[i]) * random.nextGaussian() + 0.03 * random.nextGaussian();
                } else {
                    v[i] = scale * Math.exp(random.nextGaussian() * (set % 2 == 0 ? 2.5 : 0.7)) * 0.05;
                    y[i] = Math.sqrt(scale) * (random.nextGaussian() * 0.4 + (random.nextInt(8) == 0 ? 2 : 0));
                }
            }
            Studies studies = new Studies(y, v);
            Tau2Estimate fast = Tau2Estimators.estimate(studies, method);
            double[] reference = fisherScoringAlone(studies, method);
            // Fisher scoring's own stopping error is about its last step over (1 - its rate): within the tolerance
            // below, except where it crawls (hundreds of iterations), which this comparison leaves out.
            if (reference[1] > 200) {
                continue;
            }
            assertThat(fast.converged()).as("set %d converged: %s", set, fast).isTrue();
            assertThat(fast.tau2()).as("set %d: k = %d", set, k)
                    .isCloseTo(reference[0], org.assertj.core.data.Offset.offset(1e-10 * reference[0] + 1e-11));
            compared++;
            if (fast.iterations() < reference[1]) {
                fewerIterations++;
            }
        }
        assertThat(compared).isGreaterThan(19_000);
        // The point of Newton's finish; were it never taken, this test would not test it.
        assertThat(fewerIterations).isGreaterThan(10_000);
    }

    /**
     * Two likelihoods where an unguarded Newton finish went wrong (found by review): an ML likelihood with maxima at 0
     * and 0.00225, where a Newton step from 0.0043 jumped past the minimum between them to the boundary; and a REML
     * fit where Newton and Fisher steps cycled until the iteration gave up.
     */
    @Test
    void newtonsFinishNeitherJumpsToAnotherMaximumNorCycles() {
        Studies twoMaxima = new Studies(new double[] {0.061532043847422425, -0.1006434309388255},
                new double[] {5.412846312844828e-5, 0.0050418463456393175});
        assertThat(Tau2Estimators.estimate(twoMaxima, Tau2Method.ML).tau2())
                .isCloseTo(fisherScoringAlone(twoMaxima, Tau2Method.ML)[0], org.assertj.core.data.Offset.offset(1e-12))
                .isGreaterThan(0.002);
        Studies cycled = new Studies(new double[] {-0.006285199240962896, -0.0012583820822022755, 1.827857677559558E-4,
                -0.13967122677241478, 0.01771834686835046, -0.11818999719846021, -0.05178400130559461, 0.006722436101818878},
                new double[] {1.1134863815063472E-6, 0.007367482429903009, 0.0010691671940557892, 0.130669692358095,
                        0.12876093229881083, 0.013084205116860103, 6.234606122335385E-7, 4.894034873507962E-4});
        Tau2Estimate reml = Tau2Estimators.estimate(cycled, Tau2Method.REML);
        assertThat(reml.converged()).isTrue();
        assertThat(reml.tau2()).isCloseTo(fisherScoringAlone(cycled, Tau2Method.REML)[0], org.assertj.core.data.Offset.offset(1e-12));
    }

    /** metafor's Fisher scoring from the Hedges estimate, step halving at the boundary; {tau², iterations} ({NaN, inf}: it did not converge). */
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
            if (change < 1e-14 * Math.max(1, tau2)) {
                return new double[] {tau2, iteration};
            }
        }
        return new double[] {Double.NaN, Double.POSITIVE_INFINITY};
    }
}
