package org.livingevidence.metaanalysis.conclusions;

/**
 * What a conclusion needs to know about its question.
 *
 * @param measureLabel               e.g. {@code HR}
 * @param logScale                   whether estimates are pooled on the log scale (ratios)
 * @param lowerIsBenefit             whether values below the null favour the intervention
 * @param randomEffects              whether the conclusion is drawn from the random-effects model
 * @param alpha                      two-sided significance level
 * @param minimalImportantDifference on the natural scale (an HR of 0.80), or null
 */
public record QuestionFrame(String measureLabel, boolean logScale, boolean lowerIsBenefit, boolean randomEffects,
                            double alpha, Double minimalImportantDifference) {

    public QuestionFrame {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must lie strictly between 0 and 0.5, was " + alpha);
        }
        if (minimalImportantDifference != null && logScale && !(minimalImportantDifference > 0)) {
            throw new IllegalArgumentException("a ratio MID must be greater than 0, was " + minimalImportantDifference);
        }
    }

    public QuestionFrame(String measureLabel, boolean logScale, boolean lowerIsBenefit, boolean randomEffects, double alpha) {
        this(measureLabel, logScale, lowerIsBenefit, randomEffects, alpha, null);
    }

    /** Back-transforms an analysis-scale value to the measure's natural scale. */
    public double natural(double analysisScale) {
        return logScale ? Math.exp(analysisScale) : analysisScale;
    }

    /** Transforms a natural-scale value to the analysis scale. */
    public double analysis(double naturalScale) {
        return logScale ? Math.log(naturalScale) : naturalScale;
    }
}
