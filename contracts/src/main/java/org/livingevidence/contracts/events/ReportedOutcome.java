package org.livingevidence.contracts.events;

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

    /**
     * A ratio (HR, RR, OR) with its confidence interval at a stated level.
     *
     * @param ciLevel the interval's coverage, e.g. 0.95 or 0.90
     */
    record RatioWithCi(EffectMeasure measure, double estimate, double lower, double upper, double ciLevel)
            implements ReportedOutcome {
    }
}
