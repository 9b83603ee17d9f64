package org.livingevidence.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An outcome exactly as the paper reports it. {@code form} says which figures were reported; the analysis
 * scale effect derived from them travels beside it as a {@link DerivedEffect}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "form")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReportedOutcome.RatioWithCi.class, name = "RATIO_WITH_CI"),
})
public sealed interface ReportedOutcome {

    /** The effect measure the figures are reported in. */
    EffectMeasure measure();

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
}
