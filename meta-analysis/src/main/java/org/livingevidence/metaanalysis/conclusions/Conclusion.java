package org.livingevidence.metaanalysis.conclusions;

/**
 * What a pooled estimate says under the question's model and alpha. Estimate and interval are on the measure's
 * natural scale (HR, not log HR).
 */
public record Conclusion(Direction direction, boolean significant, boolean randomEffects, double alpha, int k,
                         double estimate, double ciLower, double ciUpper, double pValue, String statement) {
}
