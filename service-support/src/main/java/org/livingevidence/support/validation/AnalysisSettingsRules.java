package org.livingevidence.support.validation;

import java.util.List;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * The one set of rules for how an analysis may be configured, shared by a living question's settings (study-service)
 * and a stateless analysis (analysis-service), so both refuse the same values with the same words. Field names are
 * reported under {@code prefix} ({@code "settings."} for a question, {@code ""} for an analysis request).
 */
public final class AnalysisSettingsRules {

    /** Whether a single-arm proportion must name its reference proportion. */
    public enum Reference {
        /** A living question must: its conclusions are judged against it. */
        REQUIRED_FOR_PROPORTIONS,
        /** A stateless analysis may leave it out and get no conclusion. */
        OPTIONAL
    }

    /**
     * The figures to check, as received (null when absent).
     *
     * @param tsa null when no sequential analysis is planned
     */
    public record Settings(EffectMeasure measure, Double alpha, Double minimalImportantDifference, Double referenceProportion,
                           Sequential tsa) {
    }

    /** @param power null takes the default; diversity null estimates it from the data */
    public record Sequential(Double anticipatedEffect, Double power, Double diversity) {
    }

    private AnalysisSettingsRules() {
    }

    public static void check(List<FieldError> errors, String prefix, Settings s, Reference reference) {
        EffectMeasure measure = s.measure();
        if (s.alpha() != null && !(s.alpha() > 0 && s.alpha() < 0.5)) {
            errors.add(new FieldError(prefix + "alpha", "must lie strictly between 0 and 0.5, was " + s.alpha()));
        }
        Double mid = s.minimalImportantDifference();
        if (mid != null && measure != null && measure.scale() == EffectMeasure.Scale.LOG && !(mid > 0)) {
            errors.add(new FieldError(prefix + "minimalImportantDifference", "a ratio must be greater than 0, was " + mid));
        }
        if (mid != null && measure == EffectMeasure.PLO && !(mid > 0 && mid < 1)) {
            errors.add(new FieldError(prefix + "minimalImportantDifference", "a proportion must lie strictly between 0 and 1, was " + mid));
        }
        checkReference(errors, prefix, s, reference);
        if (s.tsa() != null) {
            checkSequential(errors, prefix + "tsa", measure, s.tsa());
        }
    }

    private static void checkReference(List<FieldError> errors, String prefix, Settings s, Reference rule) {
        Double reference = s.referenceProportion();
        EffectMeasure measure = s.measure();
        if (measure == EffectMeasure.PLO && reference == null && rule == Reference.REQUIRED_FOR_PROPORTIONS) {
            errors.add(new FieldError(prefix + "referenceProportion", "is required for a single-arm proportion: the proportion "
                    + "to judge the pooled one against, such as a historical control rate (0.45)"));
        } else if (reference != null && measure == EffectMeasure.PLO && !(reference > 0 && reference < 1)) {
            errors.add(new FieldError(prefix + "referenceProportion", "must lie strictly between 0 and 1, was " + reference));
        } else if (reference != null && measure != null && measure != EffectMeasure.PLO) {
            errors.add(new FieldError(prefix + "referenceProportion", "applies to single-arm proportions pooled as logits (PLO) only; "
                    + measure + (measure.comparative() ? " is judged against no difference" : " has no conclusion")));
        }
    }

    private static void checkSequential(List<FieldError> errors, String path, EffectMeasure measure, Sequential tsa) {
        if (measure != null && !measure.comparative()) {
            errors.add(new FieldError(path, "a trial sequential analysis needs a comparative measure, not a single-arm proportion"));
            return;
        }
        boolean ratio = measure != null && measure.scale() == EffectMeasure.Scale.LOG;
        Double anticipated = tsa.anticipatedEffect();
        if (anticipated == null) {
            errors.add(new FieldError(path + ".anticipatedEffect", "is required: the effect worth detecting (an HR of 0.80)"));
        } else if (ratio ? !(anticipated > 0 && anticipated != 1) : anticipated == 0) {
            errors.add(new FieldError(path + ".anticipatedEffect", "the effect worth detecting must differ from the null"
                    + (ratio ? " and be greater than 0 (an HR of 0.80)" : "") + ", was " + anticipated));
        }
        if (tsa.power() != null && !(tsa.power() > 0.5 && tsa.power() < 1)) {
            errors.add(new FieldError(path + ".power", "must lie strictly between 0.5 and 1, was " + tsa.power()));
        }
        if (tsa.diversity() != null && !(tsa.diversity() >= 0 && tsa.diversity() < 1)) {
            errors.add(new FieldError(path + ".diversity", "must lie in [0, 1), was " + tsa.diversity()));
        }
    }
}
