package org.livingevidence.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * The pooled estimate of a question, recomputed after a change to its records or settings. Estimates on the
 * analysis scale (log for ratios); {@code natural} fields are back-transformed.
 *
 * @param estimateVersion increases by one with every estimate of the question
 * @param questionTitle   the question's title at this estimate (null in events from before it was added)
 * @param questionTags    the question's tags at this estimate, or null
 * @param trigger         the last change this estimate reflects
 * @param triggers        every change this estimate reflects, in the order they were applied ({@code trigger} is the
 *                        last): analysis-service recomputes once per batch of events, so one estimate may follow
 *                        several new records. Null in events from before it was added (then {@code trigger} is all)
 */
public record PooledEstimateComputed(
        String questionId,
        long estimateVersion,
        Instant computedAt,
        EffectMeasure effectMeasure,
        EffectMeasure.Scale scale,
        int k,
        PooledResult fixedEffect,
        PooledResult randomEffects,
        Heterogeneity heterogeneity,
        List<StudyContribution> studies,
        Conclusion conclusion,
        Trigger trigger,
        PredictionInterval predictionInterval,
        Tau2Interval tau2ConfidenceInterval,
        List<String> notes,
        Sequential sequential,
        String questionTitle,
        List<String> questionTags,
        List<Trigger> triggers,
        Robustness robustness) {

    /** An estimate without robustness figures. */
    public PooledEstimateComputed(String questionId, long estimateVersion, Instant computedAt, EffectMeasure effectMeasure,
                                  EffectMeasure.Scale scale, int k, PooledResult fixedEffect, PooledResult randomEffects,
                                  Heterogeneity heterogeneity, List<StudyContribution> studies, Conclusion conclusion,
                                  Trigger trigger, PredictionInterval predictionInterval, Tau2Interval tau2ConfidenceInterval,
                                  List<String> notes, Sequential sequential, String questionTitle, List<String> questionTags,
                                  List<Trigger> triggers) {
        this(questionId, estimateVersion, computedAt, effectMeasure, scale, k, fixedEffect, randomEffects, heterogeneity,
                studies, conclusion, trigger, predictionInterval, tau2ConfidenceInterval, notes, sequential, questionTitle,
                questionTags, triggers, null);
    }

    /** An estimate that follows one change. */
    public PooledEstimateComputed(String questionId, long estimateVersion, Instant computedAt, EffectMeasure effectMeasure,
                                  EffectMeasure.Scale scale, int k, PooledResult fixedEffect, PooledResult randomEffects,
                                  Heterogeneity heterogeneity, List<StudyContribution> studies, Conclusion conclusion,
                                  Trigger trigger, PredictionInterval predictionInterval, Tau2Interval tau2ConfidenceInterval,
                                  List<String> notes, Sequential sequential, String questionTitle, List<String> questionTags) {
        this(questionId, estimateVersion, computedAt, effectMeasure, scale, k, fixedEffect, randomEffects, heterogeneity,
                studies, conclusion, trigger, predictionInterval, tau2ConfidenceInterval, notes, sequential, questionTitle,
                questionTags, trigger == null ? null : List.of(trigger), null);
    }

    /** The robustness figures in words, each a sentence ("A new study showing HR 1.00 ..."), or "" without them. */
    public String robustnessInWords() {
        if (robustness == null) {
            return "";
        }
        StringBuilder words = new StringBuilder();
        if (robustness.newStudy() != null) {
            words.append(robustness.newStudy().statement());
        }
        if (robustness.newStudyForMid() != null) {
            words.append(words.isEmpty() ? "" : " ").append(robustness.newStudyForMid().statement());
        }
        if (robustness.fragility() != null) {
            words.append(words.isEmpty() ? "" : " ").append(robustness.fragility().statement());
        }
        if (robustness.absoluteEffect() != null) {
            words.append(words.isEmpty() ? "" : " ").append(robustness.absoluteEffect().statement());
        }
        return words.toString();
    }

    /** Every change this estimate reflects, also for events from before {@code triggers} existed. */
    public List<Trigger> allTriggers() {
        return triggers != null ? triggers : trigger == null ? List.of() : List.of(trigger);
    }

    /**
     * Trial sequential analysis at this estimate; information is the sum of inverse variances.
     *
     * @param boundary         efficacy boundary for |z|
     * @param futilityBoundary futility boundary on the z axis (futile on its null side); null from the required
     *                         information on
     */
    public record Sequential(double requiredInformation, double requiredEvents, double accruedInformation,
                             double informationFraction, double diversity, double z, double boundary,
                             Double futilityBoundary, Conclusion.SequentialStatus status) {
    }

    /**
     * Where a new study's effect is expected to lie.
     *
     * @param convention {@code METAFOR}: z (Wald) or t(k-1) (HKSJ) on sqrt(SE² + tau²)
     */
    public record PredictionInterval(double lower, double upper, double naturalLower, double naturalUpper,
                                     String convention) {
    }

    /** Q-profile confidence interval of tau². */
    public record Tau2Interval(double lower, double upper) {
    }

    /**
     * One model's pooled result.
     *
     * @param method {@code FIXED_IV}, or {@code RANDOM_<estimator>} with {@code _HKSJ} for that interval
     */
    public record PooledResult(String method, double estimate, double standardError, double ciLower,
                               double ciUpper, double ciLevel, double zValue, double pValue,
                               NaturalScale natural) {
    }

    /** Estimate and interval back-transformed to the measure's natural scale. */
    public record NaturalScale(double estimate, double ciLower, double ciUpper) {
    }

    /**
     * Cochran's Q and the measures derived from it. For k = 1 only {@code q}, {@code df} and {@code tau2} (all 0)
     * are set: heterogeneity is undefined for a single study.
     */
    public record Heterogeneity(double q, int df, Double pValue, Double iSquared, Double hSquared, double tau2,
                                double tau) {
    }

    /** One study's effect and its weights, in percent of the total. */
    public record StudyContribution(String recordId, long revision, String studyLabel, double estimate,
                                    double standardError, double weightFixed, double weightRandom) {
    }

    /**
     * How close the conclusion is to changing, and what it means in absolute terms. Each part is null where it does
     * not apply.
     *
     * @param newStudy       what one more study would have to be to change the conclusion's significance
     * @param absoluteEffect the effect per 1,000 at the question's baseline risk; null without one
     * @param fragility      the meta-analytic fragility index; null unless every record gives events and totals (RR,
     *                       OR, RD questions)
     * @param newStudyForMid what one more study would have to be to move the interval across the question's minimal
     *                       important difference; null without one
     */
    public record Robustness(NewStudyNeeded newStudy, AbsoluteEffect absoluteEffect, Fragility fragility,
                             NewStudyForMid newStudyForMid) {

        /** Without a fragility index. */
        public Robustness(NewStudyNeeded newStudy, AbsoluteEffect absoluteEffect) {
            this(newStudy, absoluteEffect, null, null);
        }

        /** Without a minimal important difference. */
        public Robustness(NewStudyNeeded newStudy, AbsoluteEffect absoluteEffect, Fragility fragility) {
            this(newStudy, absoluteEffect, fragility, null);
        }
    }

    /**
     * The new study that would move the interval across the minimal important difference (Langan et al. 2012's
     * contours for a clinically important value): where the interval excludes the MID, one showing the MID itself
     * would bring the interval onto it; where the interval includes it, one showing the pooled effect would move the
     * interval off it. The question's model is refitted with it, as for {@link NewStudyNeeded}.
     *
     * @param becomes           where the interval would then lie relative to the MID
     * @param minimalImportantDifference the MID, natural scale
     * @param effect            the new study's effect on the analysis scale, {@code naturalEffect} on the natural one
     * @param maxStandardError  the largest standard error (analysis scale) below which every such study moves the
     *                          interval; null when no single study would, when any would, or when only some would
     */
    public record NewStudyForMid(Conclusion.MidStatus becomes, double minimalImportantDifference, double effect,
                                 double naturalEffect, Double maxStandardError, boolean anyStandardError,
                                 boolean someStandardErrors, Double participants, Double events, String statement) {
    }

    /**
     * The meta-analytic fragility index (Atal et al. 2019): how many participants of the included trials would need
     * another outcome (one event more or fewer, chosen step by step as the change whose refitted interval moves furthest
     * towards the other side of the null, as Atal et al.'s and Lin's code choose it) for the
     * conclusion to change side of the significance threshold.
     *
     * @param index              the number of such changes; null when {@code maxChanges} did not change it
     * @param quotient           the index over all participants of the included trials
     * @param becomesSignificant true when the changes would make the result significant
     */
    public record Fragility(Integer index, Double quotient, boolean becomesSignificant, int participants, int maxChanges,
                            String statement) {
    }

    /** What a new study would do to the conclusion. */
    public enum NewStudyChange { BECOMES_NON_SIGNIFICANT, BECOMES_SIGNIFICANT }

    /**
     * The new study that would change the conclusion's significance (Sutton et al. 2007; Langan et al. 2012): one
     * showing the null challenges a significant result, one showing the pooled effect a non-significant one; the
     * question's model is refitted with it (a random-effects model re-estimates tau²).
     *
     * @param effect            the new study's effect on the analysis scale, {@code naturalEffect} on the natural one
     * @param maxStandardError  the largest standard error (analysis scale) with which it changes the conclusion; null
     *                          when no single study would, or when any would ({@code anyStandardError})
     * @param participants      approximately, for that standard error: participants in a 1:1 study (RR, OR, RD at the
     *                          question's baseline risk; SMD), or null
     * @param events            approximately: events (HR, from var(log HR) = 4 / events; RR, OR, RD at the baseline
     *                          risk), or null
     * @param statement         the same in words
     * @param someStandardErrors no threshold, but some standard errors (not the smallest) would change it: under
     *                           random effects the sizes that change a conclusion need not be contiguous
     */
    public record NewStudyNeeded(NewStudyChange change, double effect, double naturalEffect, Double maxStandardError,
                                 boolean anyStandardError, Double participants, Double events, String statement,
                                 boolean someStandardErrors) {
    }

    /**
     * The pooled effect (of the model the conclusion is drawn from) in absolute terms, as a GRADE summary of findings
     * presents it: risks per 1,000 without and with the intervention over the time frame, and the difference per
     * 1,000 with the interval (negative: fewer).
     *
     * @param statedPer the denominator {@code statement} uses: 1,000, or 10,000 or 100,000 for a rare outcome (the
     *                  numeric fields stay per 1,000); null in events published before it was added
     * @param outcome   the question's outcome the risks are of, as its PICO names it; null without one
     */
    public record AbsoluteEffect(double baselineRisk, String timeFrame, double comparatorPer1000, double interventionPer1000,
                                 double differencePer1000, double differenceLowerPer1000, double differenceUpperPer1000,
                                 String statement, Integer statedPer, String outcome) {

        /** As first published, stated per 1,000 without naming the outcome. */
        public AbsoluteEffect(double baselineRisk, String timeFrame, double comparatorPer1000, double interventionPer1000,
                              double differencePer1000, double differenceLowerPer1000, double differenceUpperPer1000,
                              String statement) {
            this(baselineRisk, timeFrame, comparatorPer1000, interventionPer1000, differencePer1000, differenceLowerPer1000,
                    differenceUpperPer1000, statement, null, null);
        }
    }
}
