package org.livingevidence.metaanalysis.robustness;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.NeighbouringFits;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.SignificanceTest;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/**
 * A question's model refitted with one more study, many times over, as the searches for a new study need it: the
 * estimate and its test's SE without the interval, tau² by the model's own estimator (the same algorithm from the same
 * start as the full fit: an iterative estimator started elsewhere can end at another maximum of a multimodal
 * likelihood), and the interval's critical value computed once per degrees of freedom.
 */
final class ModelWithNewStudy {

    private final double[] y;
    private final double[] v;
    private final NewStudyThreshold.Model model;
    /** The random-effects model's refits, as neighbours of these studies; null for a fixed-effect model. */
    private final NeighbouringFits neighbours;
    private final Map<Integer, Double> criticals = new HashMap<>();

    ModelWithNewStudy(List<StudyEffect> studies, NewStudyThreshold.Model model) {
        int k = studies.size();
        this.y = new double[k + 1];
        this.v = new double[k + 1];
        for (int i = 0; i < k; i++) {
            y[i] = studies.get(i).estimate();
            v[i] = studies.get(i).variance();
        }
        this.model = model;
        this.neighbours = model.randomEffects() && k > 0
                ? new NeighbouringFits(Arrays.copyOf(y, k), Arrays.copyOf(v, k), model.tau2Method(), model.ciMethod()) : null;
    }

    /** The model with the new study showing {@code effect} with this standard error. */
    SignificanceTest refit(double effect, double standardError) {
        if (neighbours != null) {
            return neighbours.adding(effect, standardError * standardError);
        }
        y[y.length - 1] = effect;
        v[v.length - 1] = standardError * standardError;
        return model.randomEffects() ? RandomEffects.test(y, v, model.tau2Method(), model.ciMethod()) : FixedEffect.test(y, v);
    }

    /** Half the width of the model's (1 - alpha) interval for this test. */
    double halfWidth(SignificanceTest t) {
        return criticals.computeIfAbsent(t.degreesOfFreedom(), df -> SignificanceTest.critical(df, model.alpha())) * t.standardError();
    }
}
