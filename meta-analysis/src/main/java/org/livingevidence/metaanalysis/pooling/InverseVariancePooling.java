package org.livingevidence.metaanalysis.pooling;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * Inverse-variance pooling: the fixed (common) effect model and the DerSimonian-Laird random-effects model,
 * with Wald-type (normal) confidence intervals, as metafor's {@code rma(method = "FE")} and
 * {@code rma(method = "DL")}.
 */
public final class InverseVariancePooling {

    private InverseVariancePooling() {
    }

    public static MetaAnalysisResult pool(List<StudyEffect> studies, double ciLevel) {
        if (studies.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed to pool");
        }
        int k = studies.size();
        double[] w = new double[k];
        double sumW = 0;
        double sumWY = 0;
        double sumW2 = 0;
        for (int i = 0; i < k; i++) {
            StudyEffect s = studies.get(i);
            w[i] = 1 / s.variance();
            sumW += w[i];
            sumWY += w[i] * s.estimate();
            sumW2 += w[i] * w[i];
        }
        double fixed = sumWY / sumW;
        PooledEstimate fixedEffect = PooledEstimate.wald("FIXED_IV", fixed, Math.sqrt(1 / sumW), ciLevel);

        double q = 0;
        for (int i = 0; i < k; i++) {
            double d = studies.get(i).estimate() - fixed;
            q += w[i] * d * d;
        }
        int df = k - 1;
        // With k = 1 there is no between-study information: tau² is 0 by definition, as in metafor.
        double c = sumW - sumW2 / sumW;
        double tau2 = k == 1 || c <= 0 ? 0 : Math.max(0, (q - df) / c);

        double[] wr = new double[k];
        double sumWr = 0;
        double sumWrY = 0;
        for (int i = 0; i < k; i++) {
            wr[i] = 1 / (studies.get(i).variance() + tau2);
            sumWr += wr[i];
            sumWrY += wr[i] * studies.get(i).estimate();
        }
        PooledEstimate randomEffects = PooledEstimate.wald("RANDOM_DL", sumWrY / sumWr, Math.sqrt(1 / sumWr), ciLevel);

        List<MetaAnalysisResult.StudyWeight> weights = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            // Divide first: w / sumW is at most 1 exactly, so a sole study weighs exactly 100%.
            weights.add(new MetaAnalysisResult.StudyWeight(studies.get(i).id(), 100 * (w[i] / sumW), 100 * (wr[i] / sumWr)));
        }
        return new MetaAnalysisResult(k, fixedEffect, randomEffects, heterogeneity(q, df, tau2, sumW, sumW2), weights);
    }

    private static Heterogeneity heterogeneity(double q, int df, double tau2, double sumW, double sumW2) {
        if (df == 0) {
            return new Heterogeneity(q, 0, null, null, null, tau2);
        }
        double pValue = ChiSquaredDistribution.of(df).survivalProbability(q);
        // metafor's typical within-study variance s²; when all variances are equal it is that variance.
        double s2 = df * sumW / (sumW * sumW - sumW2);
        double iSquared = 100 * tau2 / (tau2 + s2);
        double hSquared = (tau2 + s2) / s2;
        return new Heterogeneity(q, df, pValue, iSquared, hSquared, tau2);
    }
}
