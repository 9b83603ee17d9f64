package org.livingevidence.metaanalysis.pooling;

import java.util.List;

/** Estimates and variances as arrays, for the numerical code. */
record Studies(double[] y, double[] v) implements WeightedSums {

    static Studies of(List<StudyEffect> effects) {
        int k = effects.size();
        double[] y = new double[k];
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
            y[i] = effects.get(i).estimate();
            v[i] = effects.get(i).variance();
        }
        return new Studies(y, v);
    }

    @Override
    public int k() {
        return y.length;
    }

    @Override
    public Studies studies() {
        return this;
    }

    @Override
    public void at(double tau2, double centre, double[] out) {
        double sw = 0;
        double swe = 0;
        double swe2 = 0;
        double sw2 = 0;
        double sw2e = 0;
        double sw2e2 = 0;
        double sw3 = 0;
        double sw3e = 0;
        double sw3e2 = 0;
        for (int i = 0; i < y.length; i++) {
            double w = 1 / (v[i] + tau2);
            double e = y[i] - centre;
            double we = w * e;
            double we2 = we * e;
            double w2 = w * w;
            sw += w;
            swe += we;
            swe2 += we2;
            sw2 += w2;
            sw2e += w * we;
            sw2e2 += w * we2;
            sw3 += w2 * w;
            sw3e += w2 * we;
            sw3e2 += w2 * we2;
        }
        out[0] = sw;
        out[1] = swe;
        out[2] = swe2;
        out[3] = sw2;
        out[4] = sw2e;
        out[5] = sw2e2;
        out[6] = sw3;
        out[7] = sw3e;
        out[8] = sw3e2;
    }

    /** Inverse-variance weighted mean with weights 1 / (v + tau2). */
    double weightedMean(double tau2) {
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < y.length; i++) {
            double w = 1 / (v[i] + tau2);
            sw += w;
            swy += w * y[i];
        }
        return swy / sw;
    }

    /** The generalized Q statistic: sum of (y - mu(tau2))² / (v + tau2); at tau2 = 0 it is Cochran's Q. */
    double generalizedQ(double tau2) {
        double mu = weightedMean(tau2);
        double q = 0;
        for (int i = 0; i < y.length; i++) {
            double d = y[i] - mu;
            q += d * d / (v[i] + tau2);
        }
        return q;
    }

    double unweightedMean() {
        double s = 0;
        for (double value : y) {
            s += value;
        }
        return s / y.length;
    }
}
