package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every neighbouring fit equals a refit of the changed studies ({@link RandomEffects#test}). */
class NeighbouringFitsTest {

    @ParameterizedTest
    @CsvSource({"REML, HKSJ", "REML, WALD", "ML, HKSJ", "ML, WALD", "DL, HKSJ", "PM, WALD"})
    void equalsARefitOfTheChangedStudies(Tau2Method method, CiMethod ci) {
        Random random = new Random(31);
        int compared = 0;
        for (int set = 0; set < 200; set++) {
            int k = 2 + random.nextInt(set % 4 == 0 ? 12 : 150);
            // log ratios of trials of every size, and raw-unit mean differences (variances in the hundreds)
            double scale = set % 5 == 0 ? 400 : 1;
            double tau = set % 3 == 0 ? 0 : 0.3;
            double[] y = new double[k];
            double[] v = new double[k];
            for (int i = 0; i < k; i++) {
                v[i] = scale * 0.04 * Math.exp(random.nextGaussian() * 1.2);
                y[i] = Math.sqrt(scale) * (-0.2 + tau * random.nextGaussian()) + random.nextGaussian() * Math.sqrt(v[i]);
            }
            NeighbouringFits fits = new NeighbouringFits(y, v, method, ci);
            for (int candidate = 0; candidate < 40; candidate++) {
                int index = random.nextInt(k);
                double newY = y[index] + Math.sqrt(v[index]) * random.nextGaussian() * (candidate % 10 == 0 ? 5 : 0.2);
                double newV = v[index] * Math.exp(0.2 * random.nextGaussian());
                switch (candidate % 4) {
                    case 0, 1 -> assertSame(fits.replacing(index, newY, newV), replaced(y, v, index, newY, newV), method, ci, set);
                    case 2 -> assertSame(fits.adding(newY, newV / 50), added(y, v, newY, newV / 50), method, ci, set);
                    default -> {
                        if (k > 1) {
                            assertSame(fits.removing(index), replaced(y, v, index, Double.NaN, Double.NaN), method, ci, set);
                        }
                    }
                }
                compared++;
            }
            assertSame(fits.unchanged(), new Studies(y, v), method, ci, set);
        }
        assertThat(compared).isEqualTo(8000);
    }

    @Test
    void studiesThatAgreeExactlyAreFlooredAsARefitFloorsThem() {
        double[] y = new double[20];
        double[] v = new double[20];
        Arrays.fill(y, 0.3);
        for (int i = 0; i < 20; i++) {
            v[i] = 0.01 * (1 + i);
        }
        NeighbouringFits fits = new NeighbouringFits(y, v, Tau2Method.REML, CiMethod.HKSJ);
        assertSame(fits.replacing(3, 0.3, 0.5), replaced(y, v, 3, 0.3, 0.5), Tau2Method.REML, CiMethod.HKSJ, -1);
        assertSame(fits.adding(0.3, 0.001), added(y, v, 0.3, 0.001), Tau2Method.REML, CiMethod.HKSJ, -1);
    }

    /**
     * Where the expansion would be a small difference of large sums (found by review): taking out a study that
     * carries nearly all the weight, or a far outlier; and ML with a very precise new study, where the refit's
     * iteration wanders. Each must still equal the refit.
     */
    @ParameterizedTest
    @CsvSource({"REML, HKSJ", "REML, WALD", "ML, HKSJ", "ML, WALD"})
    void aStudyThatDominatesTheSumsOrAWanderingIterationIsRefitted(Tau2Method method, CiMethod ci) {
        Random random = new Random(14);
        for (double smallest : new double[] {1e-5, 1e-8, 1e-10, 1e-12}) {
            int k = 30;
            double[] y = new double[k];
            double[] v = new double[k];
            for (int i = 0; i < k; i++) {
                v[i] = 0.001 * Math.exp(0.5 * random.nextGaussian());
                y[i] = 0.001 * random.nextGaussian() + random.nextGaussian() * Math.sqrt(v[i]);
            }
            v[0] = smallest;
            y[0] = 0;
            NeighbouringFits fits = new NeighbouringFits(y, v, method, ci);
            double newY = 0.02 * random.nextGaussian();
            assertSame(fits.replacing(0, newY, 0.001), replaced(y, v, 0, newY, 0.001), method, ci, (int) -Math.log10(smallest));
            assertSame(fits.removing(0), replaced(y, v, 0, Double.NaN, Double.NaN), method, ci, (int) -Math.log10(smallest));
        }
        for (double outlier : new double[] {1e2, 1e4, 1e6}) {
            int k = 12;
            double[] y = new double[k];
            double[] v = new double[k];
            for (int i = 0; i < k; i++) {
                v[i] = 0.04;
                y[i] = 0.3 + 0.2 * random.nextGaussian();
            }
            y[k - 1] = outlier;
            NeighbouringFits fits = new NeighbouringFits(y, v, method, ci);
            assertSame(fits.replacing(k - 1, 0.3, 0.04), replaced(y, v, k - 1, 0.3, 0.04), method, ci, (int) Math.log10(outlier));
            assertSame(fits.removing(k - 1), replaced(y, v, k - 1, Double.NaN, Double.NaN), method, ci, (int) Math.log10(outlier));
        }
        random = new Random(3);
        for (int set = 0; set < 100; set++) {
            int k = 10 + random.nextInt(150);
            double[] y = new double[k];
            double[] v = new double[k];
            double tau = random.nextInt(3) == 0 ? 0 : 0.3 * random.nextDouble();
            for (int i = 0; i < k; i++) {
                v[i] = 0.04 * Math.exp(1.5 * random.nextGaussian());
                y[i] = -0.2 + tau * random.nextGaussian() + random.nextGaussian() * Math.sqrt(v[i]);
            }
            NeighbouringFits fits = new NeighbouringFits(y, v, method, ci);
            for (int j = 0; j < 60; j++) {
                double newY = (random.nextDouble() - 0.5) * Math.pow(10, -1 + 3 * random.nextDouble());
                double se = Math.pow(10, -3 + 4 * random.nextDouble());
                assertSame(fits.adding(newY, se * se), added(y, v, newY, se * se), method, ci, 1000 + set);
            }
        }
    }

    @Test
    void anUnusableNewStudyGetsWhatARefitGets() {
        double[] y = new double[12];
        double[] v = new double[12];
        for (int i = 0; i < 12; i++) {
            y[i] = 0.1 * i;
            v[i] = 0.02;
        }
        NeighbouringFits fits = new NeighbouringFits(y, v, Tau2Method.REML, CiMethod.HKSJ);
        SignificanceTest withNaN = fits.adding(0.2, Double.NaN);
        assertThat(withNaN.degreesOfFreedom()).isEqualTo(12);
        assertThat(withNaN.estimate()).isNaN();
    }

    @Test
    void theLastStudyCannotBeRemoved() {
        NeighbouringFits fits = new NeighbouringFits(new double[] {0.1}, new double[] {0.02}, Tau2Method.REML, CiMethod.HKSJ);
        assertThat(fits.removing(0)).isNull();
    }

    private static void assertSame(SignificanceTest actual, Studies changed, Tau2Method method, CiMethod ci, int set) {
        SignificanceTest expected = RandomEffects.test(changed.y(), changed.v(), method, ci);
        String what = "set " + set + ", k = " + changed.k();
        assertThat(actual.degreesOfFreedom()).as(what).isEqualTo(expected.degreesOfFreedom());
        assertThat(actual.estimate()).as(what + " estimate")
                .isCloseTo(expected.estimate(), Offset.offset(1e-10 * Math.max(1, Math.abs(expected.estimate()))));
        assertThat(actual.standardError()).as(what + " SE")
                .isCloseTo(expected.standardError(), Offset.offset(1e-10 * expected.standardError()));
    }

    private static Studies replaced(double[] y, double[] v, int index, double newY, double newV) {
        boolean removes = Double.isNaN(newV);
        double[] ys = new double[y.length - (removes ? 1 : 0)];
        double[] vs = new double[ys.length];
        for (int i = 0, at = 0; i < y.length; i++) {
            if (i == index && removes) {
                continue;
            }
            ys[at] = i == index ? newY : y[i];
            vs[at] = i == index ? newV : v[i];
            at++;
        }
        return new Studies(ys, vs);
    }

    private static Studies added(double[] y, double[] v, double newY, double newV) {
        double[] ys = Arrays.copyOf(y, y.length + 1);
        double[] vs = Arrays.copyOf(v, v.length + 1);
        ys[y.length] = newY;
        vs[v.length] = newV;
        return new Studies(ys, vs);
    }
}
