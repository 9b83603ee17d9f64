package org.livingevidence.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An outcome exactly as the paper reports it. {@code form} says which figures were reported; the analysis-scale
 * effect derived from them travels beside it as a {@link DerivedEffect}. Optional figures are null when the paper
 * does not give them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "form")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReportedOutcome.RatioWithCi.class, name = "RATIO_WITH_CI"),
        @JsonSubTypes.Type(value = ReportedOutcome.RatioWithP.class, name = "RATIO_WITH_P"),
        @JsonSubTypes.Type(value = ReportedOutcome.MedianSurvival.class, name = "MEDIAN_SURVIVAL"),
        @JsonSubTypes.Type(value = ReportedOutcome.SurvivalAtTimepoint.class, name = "SURVIVAL_AT_TIMEPOINT"),
        @JsonSubTypes.Type(value = ReportedOutcome.EventsAndTotals.class, name = "EVENTS_AND_TOTALS"),
        @JsonSubTypes.Type(value = ReportedOutcome.MeansAndSds.class, name = "MEANS_AND_SDS"),
        @JsonSubTypes.Type(value = ReportedOutcome.SingleArmProportion.class, name = "SINGLE_ARM_PROPORTION"),
        @JsonSubTypes.Type(value = ReportedOutcome.EstimateWithSe.class, name = "ESTIMATE_WITH_SE"),
})
public sealed interface ReportedOutcome {

    /** The effect measure the figures are reported in. */
    EffectMeasure measure();

    /** How a p-value was stated: exactly ({@code p = 0.003}) or as a bound ({@code p < 0.001}). */
    enum PValueRelation { EQUAL, LESS_THAN }

    /** Whether a p-value came from a two-sided or a one-sided test. */
    enum Sidedness { TWO_SIDED, ONE_SIDED }

    /**
     * A ratio (HR, RR, OR) with its confidence interval at a stated level.
     *
     * @param ciLevel the interval's coverage, e.g. 0.95 or 0.90
     */
    record RatioWithCi(@JsonProperty(required = true) EffectMeasure measure,
                       @JsonProperty(required = true) double estimate,
                       @JsonProperty(required = true) double lower,
                       @JsonProperty(required = true) double upper,
                       @JsonProperty(required = true) double ciLevel)
            implements ReportedOutcome {
    }

    /**
     * A ratio with a p-value and no interval.
     *
     * @param pValueRelation EQUAL when null
     * @param sided          TWO_SIDED when null
     */
    record RatioWithP(@JsonProperty(required = true) EffectMeasure measure,
                      @JsonProperty(required = true) double estimate,
                      @JsonProperty(required = true) double pValue,
                      PValueRelation pValueRelation,
                      Sidedness sided)
            implements ReportedOutcome {
    }

    /**
     * Median survival per arm (any time unit, the same in both arms); the variance comes from the p-value if given,
     * else from the events per arm.
     */
    record MedianSurvival(@JsonProperty(required = true) EffectMeasure measure,
                          @JsonProperty(required = true) double medianIntervention,
                          @JsonProperty(required = true) double medianComparator,
                          Double pValue,
                          PValueRelation pValueRelation,
                          Sidedness sided,
                          Double eventsIntervention,
                          Double eventsComparator)
            implements ReportedOutcome {
    }

    /**
     * Survival proportions per arm at one time point (0.74 for 74%); the variance comes from the p-value if given,
     * else from the events per arm.
     */
    record SurvivalAtTimepoint(@JsonProperty(required = true) EffectMeasure measure,
                               @JsonProperty(required = true) double survivalIntervention,
                               @JsonProperty(required = true) double survivalComparator,
                               @JsonProperty(required = true) double timepointMonths,
                               Double pValue,
                               PValueRelation pValueRelation,
                               Sidedness sided,
                               Double eventsIntervention,
                               Double eventsComparator)
            implements ReportedOutcome {
    }

    /** Events and totals per arm, for a risk ratio, odds ratio or risk difference. */
    record EventsAndTotals(@JsonProperty(required = true) EffectMeasure measure,
                           @JsonProperty(required = true) double eventsIntervention,
                           @JsonProperty(required = true) double totalIntervention,
                           @JsonProperty(required = true) double eventsComparator,
                           @JsonProperty(required = true) double totalComparator)
            implements ReportedOutcome {
    }

    /** Mean, SD and size per arm, for a mean difference or a standardized mean difference. */
    record MeansAndSds(@JsonProperty(required = true) EffectMeasure measure,
                       @JsonProperty(required = true) double meanIntervention,
                       @JsonProperty(required = true) double sdIntervention,
                       @JsonProperty(required = true) double nIntervention,
                       @JsonProperty(required = true) double meanComparator,
                       @JsonProperty(required = true) double sdComparator,
                       @JsonProperty(required = true) double nComparator)
            implements ReportedOutcome {
    }

    /** Events of total in a single arm, pooled as a logit ({@code PLO}) or a Freeman-Tukey double arcsine ({@code PFT}). */
    record SingleArmProportion(@JsonProperty(required = true) EffectMeasure measure,
                               @JsonProperty(required = true) double events,
                               @JsonProperty(required = true) double total)
            implements ReportedOutcome {
    }

    /**
     * An effect with its standard error, as a review's "generic inverse variance" data give it (RevMan).
     *
     * @param estimate      on the natural scale: a ratio for HR, RR and OR, a difference for RD, MD and SMD
     * @param standardError on the analysis scale: of the log ratio for HR, RR and OR
     */
    record EstimateWithSe(@JsonProperty(required = true) EffectMeasure measure,
                          @JsonProperty(required = true) double estimate,
                          @JsonProperty(required = true) double standardError)
            implements ReportedOutcome {
    }
}
