package org.livingevidence.metaanalysis.conclusions;

/**
 * What a conclusion needs to know about its question.
 *
 * @param measureLabel   e.g. {@code HR}
 * @param logScale       whether estimates are pooled on the log scale (ratios)
 * @param lowerIsBenefit whether values below the null favour the intervention
 * @param randomEffects  whether the conclusion is drawn from the random-effects model
 * @param alpha          two-sided significance level
 */
public record QuestionFrame(String measureLabel, boolean logScale, boolean lowerIsBenefit, boolean randomEffects,
                            double alpha) {

    public QuestionFrame {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must lie strictly between 0 and 0.5, was " + alpha);
        }
    }

    /** Back-transforms an analysis-scale value to the measure's natural scale. */
    public double natural(double analysisScale) {
        return logScale ? Math.exp(analysisScale) : analysisScale;
    }
}
