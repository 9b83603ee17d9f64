package org.livingevidence.metaanalysis.robustness;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

/**
 * How precise one more study would have to be to change whether a meta-analysis is significant (Sutton et al. 2007,
 * Stat Med 26:2479; Langan et al. 2012, J Clin Epidemiol 65:511). A significant result is challenged by a new study
 * showing the null, a non-significant one by a new study showing the current pooled effect; the answer is the
 * largest standard error such a study may have and still change the conclusion. The model is refitted with the new
 * study each time, so a random-effects model re-estimates tau² with it, as Langan et al. do, and its interval method
 * (Wald or HKSJ) is the question's.
 *
 * <p>The threshold is found by scanning standard errors on a log grid from a thousandth of the most precise study's
 * to a thousand times the least precise one's, then bisecting between the least precise SE that changes the
 * conclusion and the next grid point that does not, to a relative 1e-9. Below the reported threshold the grid found
 * no SE that fails to change it; where the random-effects variance grows with the new study, even a perfectly precise
 * study may not change a conclusion, and the result says so (no threshold).
 */
public final class NewStudyThreshold {

    /** What the new study would do to the conclusion. */
    public enum Change { BECOMES_NON_SIGNIFICANT, BECOMES_SIGNIFICANT }

    /**
     * The model a conclusion is drawn from.
     *
     * @param tau2Method and {@code ciMethod} apply to the random-effects model only
     */
    public record Model(boolean randomEffects, Tau2Method tau2Method, CiMethod ciMethod, double alpha) {
    }

    /**
     * @param effect           the new study's effect on the scale pooled (0 is the null)
     * @param maxStandardError the largest standard error with which it changes the conclusion; null when no single
     *                         study showing {@code effect} would, and when any would ({@code anyStandardError})
     * @param anyStandardError a study showing {@code effect} changes the conclusion however imprecise it is: with HKSJ
     *                         or a moment estimator, a study that agrees exactly with the pooled estimate can narrow
     *                         the interval through the degrees of freedom or tau² alone
     */
    public record Result(Change change, double effect, Double maxStandardError, boolean anyStandardError) {
    }

    static final int GRID = 48;
    static final double RELATIVE_TOLERANCE = 1e-9;

    private NewStudyThreshold() {
    }

    /** @param studies the effects pooled, on the scale the test is against 0 */
    public static Result of(List<StudyEffect> studies, Model model) {
        if (studies.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed");
        }
        PooledEstimate now = pool(studies, model);
        boolean significant = now.pValue() < model.alpha();
        double effect = significant ? 0 : now.estimate();
        Change change = significant ? Change.BECOMES_NON_SIGNIFICANT : Change.BECOMES_SIGNIFICANT;
        double minSe = Double.POSITIVE_INFINITY;
        double maxSe = 0;
        for (StudyEffect s : studies) {
            double se = Math.sqrt(s.variance());
            minSe = Math.min(minSe, se);
            maxSe = Math.max(maxSe, se);
        }
        double low = Math.log(minSe / 1e3);
        double high = Math.log(maxSe * 1e3);
        double step = (high - low) / (GRID - 1);
        List<StudyEffect> withNew = new ArrayList<>(studies);
        withNew.add(null);
        int lastChanging = -1;
        for (int i = 0; i < GRID; i++) {
            if (changes(withNew, effect, Math.exp(low + i * step), model, significant)) {
                lastChanging = i;
            }
        }
        if (lastChanging < 0) {
            return new Result(change, effect, null, false);
        }
        if (lastChanging == GRID - 1) {
            return new Result(change, effect, null, true);
        }
        double changing = low + lastChanging * step;
        double notChanging = changing + step;
        while (notChanging - changing > RELATIVE_TOLERANCE) {
            double middle = (changing + notChanging) / 2;
            if (changes(withNew, effect, Math.exp(middle), model, significant)) {
                changing = middle;
            } else {
                notChanging = middle;
            }
        }
        return new Result(change, effect, Math.exp(changing), false);
    }

    /** Whether adding a study with this effect and standard error changes significance. */
    static boolean changes(List<StudyEffect> withNew, double effect, double standardError, Model model, boolean significant) {
        withNew.set(withNew.size() - 1, new StudyEffect("new study", effect, standardError * standardError));
        return pool(withNew, model).pValue() < model.alpha() != significant;
    }

    private static PooledEstimate pool(List<StudyEffect> studies, Model model) {
        double level = 1 - model.alpha();
        return model.randomEffects() ? RandomEffects.pooled(studies, model.tau2Method(), model.ciMethod(), level)
                : FixedEffect.pool(studies, level).pooled();
    }
}
