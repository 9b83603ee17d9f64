package org.livingevidence.metaanalysis.robustness;

import java.util.List;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.SignificanceTest;
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
 * <p>The threshold is found by scanning standard errors on a log grid from a ten-thousandth of the smaller of the most
 * precise study's and the pooled estimate's to a thousand times the least precise study's: every grid SE from the
 * smallest up to the threshold changes the conclusion, and the threshold is bisected between the last of them and
 * the next, to a relative 1e-9. Under random effects the SEs that change it need not be contiguous: where even the
 * most precise study does not change it (tau² grows with the study), but some SEs do, the result says that some
 * studies would and others would not; where none does, that no single study would; where every SE does (a study
 * that agrees exactly with the pooled estimate can narrow an HKSJ interval through its degrees of freedom alone),
 * that any would.
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
     * @param someStandardErrors no threshold, but some standard errors (not the smallest) change the conclusion
     */
    public record Result(Change change, double effect, Double maxStandardError, boolean anyStandardError,
                         boolean someStandardErrors) {

        /** The same result for effects measured from {@code -origin}: the new study's effect moved by it. */
        public Result movedBy(double origin) {
            return new Result(change, effect + origin, maxStandardError, anyStandardError, someStandardErrors);
        }
    }

    static final int GRID = 64;
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
        double low = Math.log(Math.min(minSe, now.standardError()) / 1e4);
        double high = Math.log(maxSe * 1e3);
        double step = (high - low) / (GRID - 1);
        Refits refits = new Refits(studies, model, significant);
        boolean[] changing = new boolean[GRID];
        int firstNotChanging = -1;
        boolean anyChanging = false;
        for (int i = 0; i < GRID; i++) {
            changing[i] = refits.changes(effect, Math.exp(low + i * step));
            anyChanging |= changing[i];
            if (!changing[i] && firstNotChanging < 0) {
                firstNotChanging = i;
            }
        }
        if (firstNotChanging < 0) {
            return new Result(change, effect, null, true, false);
        }
        if (firstNotChanging == 0) {
            return new Result(change, effect, null, false, anyChanging);
        }
        double changingLog = low + (firstNotChanging - 1) * step;
        double notChanging = changingLog + step;
        while (notChanging - changingLog > RELATIVE_TOLERANCE) {
            double middle = (changingLog + notChanging) / 2;
            if (refits.changes(effect, Math.exp(middle))) {
                changingLog = middle;
            } else {
                notChanging = middle;
            }
        }
        return new Result(change, effect, Math.exp(changingLog), false, false);
    }

    /**
     * Significance with one more study, as the search needs it: the statistic against the interval's critical value
     * (the same as p against alpha, without a tail or the interval per refit). {@link #changes} is the same judgement
     * by the model's full fit, which the tests hold this to.
     */
    private static final class Refits {
        private final ModelWithNewStudy refits;
        private final boolean significant;

        Refits(List<StudyEffect> studies, Model model, boolean significant) {
            this.refits = new ModelWithNewStudy(studies, model);
            this.significant = significant;
        }

        boolean changes(double effect, double standardError) {
            SignificanceTest t = refits.refit(effect, standardError);
            return Math.abs(t.estimate()) > refits.halfWidth(t) != significant;
        }
    }

    /** Whether adding a study with this effect and standard error changes significance. */
    static boolean changes(List<StudyEffect> withNew, double effect, double standardError, Model model, boolean significant) {
        withNew.set(withNew.size() - 1, new StudyEffect("new study", effect, standardError * standardError));
        return pool(withNew, model).pValue() < model.alpha() != significant;
    }

    /** The model's full fit, with its interval: what every search here is held to. */
    static PooledEstimate pool(List<StudyEffect> studies, Model model) {
        double level = 1 - model.alpha();
        return model.randomEffects() ? RandomEffects.pooled(studies, model.tau2Method(), model.ciMethod(), level)
                : FixedEffect.pool(studies, level).pooled();
    }
}
