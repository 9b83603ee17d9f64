package org.livingevidence.metaanalysis.synthesis;

import java.util.Arrays;
import java.util.List;
import org.livingevidence.metaanalysis.bias.EggerTest;
import org.livingevidence.metaanalysis.conclusions.CertaintyRules;
import org.livingevidence.metaanalysis.conclusions.Conclusion;
import org.livingevidence.metaanalysis.conclusions.ConclusionRules;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.Interval;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.robustness.NewStudyForMid;
import org.livingevidence.metaanalysis.robustness.NewStudyThreshold;
import org.livingevidence.metaanalysis.sequential.LookCache;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;
import org.livingevidence.metaanalysis.sequential.TsaSettings;

/**
 * The one analysis of a set of studies that both a living estimate and a stateless analysis publish: the fixed and
 * random-effects models, the conclusion under the chosen one, the trial sequential analysis in publication order,
 * Egger's test and the certainty rating. Both callers use this, so a preview cannot drift from the living estimate.
 *
 * <p>Pooling runs on the frame's test scale (a single-arm proportion's logits less the reference's, see
 * {@link QuestionFrame}); {@link Result} moves estimates, intervals and prediction intervals back to the analysis
 * scale, while z and p keep testing against the frame's null, as metafor's {@code rma(yi - qlogis(p0), vi)} does.
 * Heterogeneity, tau² and weights do not depend on the shift. Egger's test runs on the analysis scale, where its
 * limit estimate means something.
 */
public final class EvidenceSynthesis {

    /** What kind of study an effect comes from, as the certainty rating counts them. */
    public enum Design { RANDOMISED, OBSERVATIONAL, UNKNOWN }

    /**
     * One study's effect.
     *
     * @param estimate        on the analysis scale (a log HR, a logit)
     * @param publicationYear orders the sequential looks; null sorts last, ties keep input order
     */
    public record Study(String id, double estimate, double variance, Integer publicationYear, Design design) {
    }

    /**
     * How to analyse.
     *
     * @param frame      what the conclusion is drawn in; null for no conclusion (a proportion without a reference)
     * @param sequential a trial sequential analysis plan, or null; needs a frame
     */
    public record Plan(QuestionFrame frame, boolean randomEffects, double alpha, Tau2Method tau2Method, CiMethod ciMethod,
                       SequentialPlan sequential) {

        public Plan {
            if (frame != null && (frame.randomEffects() != randomEffects || frame.alpha() != alpha)) {
                throw new IllegalArgumentException("the frame's model and alpha must be the plan's");
            }
            if (sequential != null && frame == null) {
                throw new IllegalArgumentException("a sequential analysis needs a frame to place its anticipated effect");
            }
        }

        /** A plan whose model and alpha are the frame's. */
        public static Plan of(QuestionFrame frame, Tau2Method tau2Method, CiMethod ciMethod, SequentialPlan sequential) {
            return new Plan(frame, frame.randomEffects(), frame.alpha(), tau2Method, ciMethod, sequential);
        }

        double level() {
            return 1 - alpha;
        }
    }

    /**
     * @param anticipatedEffect on the natural scale (an HR of 0.80)
     * @param diversity         D² to plan for; null to estimate it from the studies
     */
    public record SequentialPlan(double anticipatedEffect, double power, Double diversity) {
    }

    /**
     * Everything computed. {@code fixed} and {@code random} are on the test scale; use the {@code onAnalysisScale}
     * views to publish them.
     *
     * @param egger            null below three studies or when it cannot be computed ({@code eggerUnavailable} says why)
     * @param publicationOrder indexes of {@code studies} in publication order
     * @param newStudy         what one more study would have to be to change the conclusion's significance, its
     *                         effect on the test scale; null without a conclusion
     * @param newStudyForMid   what one more study would have to be to move the interval across the minimal important
     *                         difference (onto it when the interval excludes it, off it when it includes it), its
     *                         effect on the test scale; null without a conclusion or a minimal important difference
     */
    public record Result(List<Study> studies, double nullOnAnalysisScale, FixedEffect.Result fixed, RandomEffectsResult random,
                         Conclusion conclusion, TrialSequentialAnalysis.Result sequential, EggerTest.Result egger,
                         String eggerUnavailable, List<Integer> publicationOrder, NewStudyThreshold.Result newStudy,
                         NewStudyForMid newStudyForMid) {

        public int k() {
            return studies.size();
        }

        public PooledEstimate fixedOnAnalysisScale() {
            return shifted(fixed.pooled());
        }

        public PooledEstimate randomOnAnalysisScale() {
            return shifted(random.pooled());
        }

        public Interval predictionOnAnalysisScale() {
            return shifted(random.predictionInterval());
        }

        public Interval rileyPredictionOnAnalysisScale() {
            return shifted(random.rileyPredictionInterval());
        }

        private PooledEstimate shifted(PooledEstimate p) {
            return new PooledEstimate(p.method(), p.estimate() + nullOnAnalysisScale, p.standardError(),
                    p.ciLower() + nullOnAnalysisScale, p.ciUpper() + nullOnAnalysisScale, p.ciLevel(), p.zValue(), p.pValue());
        }

        private Interval shifted(Interval interval) {
            return interval == null ? null : new Interval(interval.lower() + nullOnAnalysisScale, interval.upper() + nullOnAnalysisScale);
        }
    }

    /** Below this many studies Egger's regression has no residual degrees of freedom. */
    public static final int EGGER_MIN_STUDIES = 3;

    private EvidenceSynthesis() {
    }

    public static Result run(List<Study> studies, Plan plan) {
        return run(studies, plan, new LookCache());
    }

    /**
     * As {@link #run(List, Plan)}, with the sequential looks of an earlier analysis of the same question: a living
     * estimate fits only the looks of the studies that changed (see {@link LookCache}).
     */
    public static Result run(List<Study> studies, Plan plan, LookCache looks) {
        if (studies.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed");
        }
        QuestionFrame frame = plan.frame();
        double nullValue = frame == null ? 0 : frame.nullOnAnalysisScale();
        List<StudyEffect> onAnalysisScale = studies.stream().map(s -> new StudyEffect(s.id(), s.estimate(), s.variance())).toList();
        List<StudyEffect> onTestScale = nullValue == 0 ? onAnalysisScale
                : studies.stream().map(s -> new StudyEffect(s.id(), s.estimate() - nullValue, s.variance())).toList();
        FixedEffect.Result fixed = FixedEffect.pool(onTestScale, plan.level());
        RandomEffectsResult random = RandomEffects.fit(onTestScale, plan.tau2Method(), plan.ciMethod(), plan.level());
        List<Integer> publicationOrder = publicationOrder(studies);

        EggerTest.Result egger = null;
        String eggerUnavailable = null;
        if (studies.size() >= EGGER_MIN_STUDIES) {
            try {
                egger = EggerTest.test(onAnalysisScale);
            } catch (IllegalArgumentException e) {
                // Equal standard errors: no regression to run, and no small-study signal either.
                eggerUnavailable = e.getMessage();
            }
        }

        TrialSequentialAnalysis.Result sequential = null;
        if (plan.sequential() != null) {
            List<StudyEffect> inOrder = publicationOrder.stream().map(onTestScale::get).toList();
            SequentialPlan s = plan.sequential();
            sequential = TrialSequentialAnalysis.run(inOrder,
                    new TsaSettings(frame.analysis(s.anticipatedEffect()), plan.alpha(), s.power(), s.diversity()), plan.tau2Method(), looks);
        }

        Conclusion conclusion = null;
        NewStudyThreshold.Result newStudy = null;
        NewStudyForMid newStudyForMid = null;
        // One study under HKSJ is judged by Wald (no degrees of freedom), but two would be by t(1): the threshold would
        // hinge on rounding, so none is given.
        boolean hksjOnOne = plan.randomEffects() && plan.ciMethod() == CiMethod.HKSJ && studies.size() == 1;
        if (frame != null) {
            NewStudyThreshold.Model model = new NewStudyThreshold.Model(plan.randomEffects(), plan.tau2Method(), plan.ciMethod(),
                    plan.alpha());
            newStudy = hksjOnOne ? null : NewStudyThreshold.of(onTestScale, model);
            if (!hksjOnOne && frame.minimalImportantDifference() != null) {
                // The interval excludes the MID exactly when the test against it is significant: the same search on
                // the effects measured from the MID (every tau² estimator depends on the effects' differences only).
                double midOnTestScale = frame.analysis(frame.minimalImportantDifference());
                List<StudyEffect> fromMid = onTestScale.stream()
                        .map(e -> new StudyEffect(e.id(), e.estimate() - midOnTestScale, e.variance())).toList();
                newStudyForMid = NewStudyForMid.of(NewStudyThreshold.of(fromMid, model).movedBy(midOnTestScale), midOnTestScale, frame);
            }
            PooledEstimate chosen = plan.randomEffects() ? random.pooled() : fixed.pooled();
            conclusion = ConclusionRules.conclude(chosen, studies.size(), frame);
            if (sequential != null) {
                conclusion = conclusion.withSequential(sequential.status());
            }
            conclusion = conclusion.withCertainty(CertaintyRules.rate(conclusion, evidence(studies, random, egger)));
        }
        return new Result(List.copyOf(studies), nullValue, fixed, random, conclusion, sequential, egger, eggerUnavailable,
                publicationOrder, newStudy, newStudyForMid);
    }

    /**
     * Indexes of the studies by publication year, unknown years last, ties in the order given: one sort of primitive
     * keys (year, index), which are all distinct, so the unstable sort keeps ties in order.
     */
    private static List<Integer> publicationOrder(List<Study> studies) {
        long[] keys = new long[studies.size()];
        for (int i = 0; i < keys.length; i++) {
            Integer year = studies.get(i).publicationYear();
            keys[i] = (long) (year == null ? Integer.MAX_VALUE : year) << 32 | i;
        }
        Arrays.sort(keys);
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return List.of(order);
    }

    private static CertaintyRules.Evidence evidence(List<Study> studies, RandomEffectsResult random, EggerTest.Result egger) {
        int randomised = (int) studies.stream().filter(s -> s.design() == Design.RANDOMISED).count();
        int unknown = (int) studies.stream().filter(s -> s.design() == null || s.design() == Design.UNKNOWN).count();
        return new CertaintyRules.Evidence(randomised, studies.size() - randomised - unknown, unknown,
                random.heterogeneity().iSquared(), egger == null ? null : egger.pValue());
    }
}
