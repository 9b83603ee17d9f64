package org.livingevidence.analysis.analyses;

import java.util.List;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.PooledEstimateComputed;

/**
 * Every figure of an analysis. {@code mantelHaenszel} is present when every study is given as events and totals. Estimates are on the analysis scale (log for ratios) with their natural-scale
 * counterparts; sections that need more studies than given (Egger: 3, prediction interval: 2) are absent.
 * {@code robustness} is what a living question's estimate would carry (the new study that would change the
 * conclusion; the fragility index when every study is given as events and totals); absent without a conclusion.
 */
public record AnalysisReport(EffectMeasure measure, EffectMeasure.Scale scale, int k, List<StudyRow> studies,
                             Model fixedEffect, Model randomEffects, HeterogeneityReport heterogeneity,
                             IntervalReport predictionInterval, IntervalReport rileyPredictionInterval,
                             EggerReport egger, List<SensitivityRow> leaveOneOut, List<SensitivityRow> cumulative,
                             SubgroupReport subgroups, TsaReport sequential, Model mantelHaenszel, Conclusion conclusion,
                             List<String> notes, PooledEstimateComputed.Robustness robustness) {

    /** A study as pooled; {@code derivation} says how its effect was derived when reported figures were given. */
    public record StudyRow(String label, double estimate, double standardError, double weightFixed, double weightRandom,
                           DerivedEffect derivation) {
    }

    public record Model(String method, double estimate, double standardError, double ciLower, double ciUpper,
                        double ciLevel, double statistic, double pValue, double naturalEstimate, double naturalCiLower,
                        double naturalCiUpper) {
    }

    public record HeterogeneityReport(double q, int df, Double pValue, Double iSquared, Double hSquared, double tau2,
                                      double tau, Double tau2CiLower, Double tau2CiUpper, String tau2Estimator,
                                      boolean converged) {
    }

    public record IntervalReport(double lower, double upper, double naturalLower, double naturalUpper) {
    }

    public record EggerReport(double statistic, int df, double pValue, double limitEstimate) {
    }

    /** One refit: without a study (leave-one-out) or after it joined (cumulative). */
    public record SensitivityRow(String study, int k, double estimate, double ciLower, double ciUpper, double pValue,
                                 double tau2, Double iSquared, double naturalEstimate) {
    }

    public record SubgroupReport(List<SubgroupRow> groups, Double qBetween, Integer df, Double pValue) {
    }

    public record SubgroupRow(String label, int k, double estimate, double ciLower, double ciUpper, double tau2,
                              double naturalEstimate) {
    }

    public record TsaReport(double requiredInformation, double requiredEvents, double accruedInformation,
                            double informationFraction, double diversity, String status, List<TsaLook> looks) {
    }

    /**
     * @param boundary         efficacy boundary for |z|
     * @param futilityBoundary on the z axis, on the side of the anticipated effect; futile on its null side; absent
     *                         from the required information on
     */
    public record TsaLook(String study, double informationFraction, double z, double boundary, boolean crossed,
                          Double futilityBoundary, boolean futile) {
    }
}
