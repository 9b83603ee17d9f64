package org.livingevidence.metaanalysis.pooling;

import java.util.List;

/** Estimates and variances as arrays, for the numerical code. */
record Studies(double[] y, double[] v) {

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

    int k() {
        return y.length;
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
