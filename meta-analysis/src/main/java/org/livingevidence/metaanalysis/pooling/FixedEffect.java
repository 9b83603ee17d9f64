package org.livingevidence.metaanalysis.pooling;

import java.util.ArrayList;
import java.util.List;

/** The fixed (common) effect inverse-variance model with a Wald interval, as metafor's {@code rma(method = "FE")}. */
public final class FixedEffect {

    /** The pooled estimate and each study's weight in percent, in input order. */
    public record Result(PooledEstimate pooled, List<Double> weightsPercent) {

        public Result {
            weightsPercent = List.copyOf(weightsPercent);
        }
    }

    private FixedEffect() {
    }

    /** The fixed-effect estimate alone, for effects {@code y} with variances {@code v}, as {@link #pool} computes it. */
    public static PooledEstimate pooled(double[] y, double[] v, double level) {
        double sumW = 0;
        double sumWY = 0;
        for (int i = 0; i < y.length; i++) {
            sumW += 1 / v[i];
            sumWY += y[i] / v[i];
        }
        return PooledEstimate.wald("FIXED_IV", sumWY / sumW, Math.sqrt(1 / sumW), level);
    }

    /** {@link #pooled}'s estimate and SE without the interval. */
    public static SignificanceTest test(double[] y, double[] v) {
        double sumW = 0;
        double sumWY = 0;
        for (int i = 0; i < y.length; i++) {
            sumW += 1 / v[i];
            sumWY += y[i] / v[i];
        }
        return new SignificanceTest(sumWY / sumW, Math.sqrt(1 / sumW), 0);
    }

    public static Result pool(List<StudyEffect> studies, double level) {
        if (studies.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed to pool");
        }
        double sumW = 0;
        double sumWY = 0;
        for (StudyEffect s : studies) {
            sumW += 1 / s.variance();
            sumWY += s.estimate() / s.variance();
        }
        List<Double> weights = new ArrayList<>(studies.size());
        for (StudyEffect s : studies) {
            // Divide first: w / sumW is at most 1 exactly, so a sole study weighs exactly 100%.
            weights.add(100 * ((1 / s.variance()) / sumW));
        }
        return new Result(PooledEstimate.wald("FIXED_IV", sumWY / sumW, Math.sqrt(1 / sumW), level), weights);
    }
}
