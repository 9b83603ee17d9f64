package org.livingevidence.metaanalysis.conclusions;

import java.util.List;

/**
 * An automatic, GRADE-style certainty rating of the pooled evidence, with the reason for each downgrade. It is a
 * starting point for people, not a substitute for a GRADE panel: risk of bias and indirectness need judgement.
 */
public record Certainty(Level level, List<String> reasons) {

    public enum Level { HIGH, MODERATE, LOW, VERY_LOW }

    public Certainty {
        reasons = List.copyOf(reasons);
    }
}
