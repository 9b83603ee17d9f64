package org.livingevidence.metaanalysis.conclusions;

import org.livingevidence.metaanalysis.derivation.SingleArmProportion;

/**
 * What a conclusion needs to know about its question.
 *
 * <p>Conclusions are drawn on the <em>test scale</em>: the analysis scale shifted so that the null is 0. For a
 * comparative measure the two are the same (log HR 0 is HR 1). For a single-arm proportion the null is the
 * question's reference proportion, so study effects are pooled as {@code logit(p) - logit(reference)}: the pooled
 * estimate, interval and between-study variance are those of the unshifted logits, while z and p test the pooled
 * proportion against the reference, as metafor's {@code rma(yi - qlogis(p0), vi)} does.
 *
 * @param measureLabel               e.g. {@code HR}
 * @param scale                      how estimates are transformed before pooling
 * @param lowerIsBenefit             whether values below the null favour the intervention
 * @param randomEffects              whether the conclusion is drawn from the random-effects model
 * @param alpha                      two-sided significance level
 * @param minimalImportantDifference on the natural scale (an HR of 0.80, a proportion of 0.65), or null
 * @param referenceProportion        the null of a single-arm proportion (a historical control rate); null otherwise
 */
public record QuestionFrame(String measureLabel, Scale scale, boolean lowerIsBenefit, boolean randomEffects,
                            double alpha, Double minimalImportantDifference, Double referenceProportion) {

    /** The scale a measure is pooled on. */
    public enum Scale {
        /** Ratios: null 1, pooled as logarithms. */
        LOG,
        /** Differences: null 0. */
        IDENTITY,
        /** Single-arm proportions: null the reference proportion, pooled as logits. */
        LOGIT
    }

    public QuestionFrame {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must lie strictly between 0 and 0.5, was " + alpha);
        }
        if (minimalImportantDifference != null && scale == Scale.LOG && !(minimalImportantDifference > 0)) {
            throw new IllegalArgumentException("a ratio MID must be greater than 0, was " + minimalImportantDifference);
        }
        if (scale == Scale.LOGIT) {
            if (referenceProportion == null || !(referenceProportion > 0 && referenceProportion < 1)) {
                throw new IllegalArgumentException("a single-arm proportion needs a reference proportion strictly between 0 and 1, was "
                        + referenceProportion);
            }
            if (minimalImportantDifference != null && !(minimalImportantDifference > 0 && minimalImportantDifference < 1)) {
                throw new IllegalArgumentException("a proportion MID must lie strictly between 0 and 1, was " + minimalImportantDifference);
            }
        } else if (referenceProportion != null) {
            throw new IllegalArgumentException("a reference proportion applies to single-arm proportions only");
        }
    }

    /** A comparative measure: ratios on the log scale, differences as they are. */
    public static QuestionFrame comparative(String measureLabel, boolean logScale, boolean lowerIsBenefit,
                                            boolean randomEffects, double alpha, Double minimalImportantDifference) {
        return new QuestionFrame(measureLabel, logScale ? Scale.LOG : Scale.IDENTITY, lowerIsBenefit, randomEffects, alpha,
                minimalImportantDifference, null);
    }

    /** A single-arm proportion judged against {@code referenceProportion}, pooled as logits. */
    public static QuestionFrame singleArmProportion(boolean lowerIsBenefit, boolean randomEffects, double alpha,
                                                    Double minimalImportantDifference, double referenceProportion) {
        return new QuestionFrame("proportion", Scale.LOGIT, lowerIsBenefit, randomEffects, alpha,
                minimalImportantDifference, referenceProportion);
    }

    /** Where the null lies on the analysis scale: 0, except logit(reference) for a single-arm proportion. */
    public double nullOnAnalysisScale() {
        return scale == Scale.LOGIT ? SingleArmProportion.logit(referenceProportion) : 0;
    }

    /** A study's analysis-scale effect (a log HR, a logit) on the test scale. */
    public double testScale(double analysisScale) {
        return analysisScale - nullOnAnalysisScale();
    }

    /** Back-transforms a test-scale value to the measure's natural scale. */
    public double natural(double testScale) {
        return switch (scale) {
            case LOG -> Math.exp(testScale);
            case IDENTITY -> testScale;
            case LOGIT -> SingleArmProportion.inverseLogit(testScale + nullOnAnalysisScale());
        };
    }

    /** Transforms a natural-scale value to the test scale. */
    public double analysis(double naturalScale) {
        return switch (scale) {
            case LOG -> Math.log(naturalScale);
            case IDENTITY -> naturalScale;
            case LOGIT -> SingleArmProportion.logit(naturalScale) - nullOnAnalysisScale();
        };
    }
}
