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
        List<Trigger> triggers) {

    /** An estimate that follows one change. */
    public PooledEstimateComputed(String questionId, long estimateVersion, Instant computedAt, EffectMeasure effectMeasure,
                                  EffectMeasure.Scale scale, int k, PooledResult fixedEffect, PooledResult randomEffects,
                                  Heterogeneity heterogeneity, List<StudyContribution> studies, Conclusion conclusion,
                                  Trigger trigger, PredictionInterval predictionInterval, Tau2Interval tau2ConfidenceInterval,
                                  List<String> notes, Sequential sequential, String questionTitle, List<String> questionTags) {
        this(questionId, estimateVersion, computedAt, effectMeasure, scale, k, fixedEffect, randomEffects, heterogeneity,
                studies, conclusion, trigger, predictionInterval, tau2ConfidenceInterval, notes, sequential, questionTitle,
                questionTags, trigger == null ? null : List.of(trigger));
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
}
