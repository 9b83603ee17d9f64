package org.livingevidence.study.questions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.Pico;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.study.revisions.RevisionReasons;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.validation.FreeText;
import org.livingevidence.support.validation.FreeText.Lines;

/**
 * A curator's definition of an evidence question (POST), or its next revision (PUT, which replaces every field).
 * Settings are optional: the defaults are DL random effects at alpha 0.05.
 *
 * @param status ACTIVE unless given; ARCHIVED keeps the question and its history but marks it closed
 * @param reason why this revision was made; required on PUT
 */
public record QuestionRequest(String title, Pico pico, EffectMeasure effectMeasure, BenefitDirection benefitDirection,
                              AnalysisSettings settings, List<String> tags, QuestionRevised.QuestionStatus status,
                              String reason) {

    static final List<String> MODELS = List.of("RANDOM", "FIXED");
    static final List<String> TAU2_ESTIMATORS = Arrays.stream(Tau2Method.values()).map(Enum::name).toList();
    static final List<String> CI_METHODS = Arrays.stream(CiMethod.values()).map(Enum::name).toList();

    /** Checks every field and reports all faults at once. */
    void validate() {
        List<FieldError> errors = new ArrayList<>();
        FreeText.require(errors, "title", title, FieldLimits.QUESTION_TITLE, Lines.SINGLE);
        if (pico == null) {
            errors.add(new FieldError("pico", "is required: population, intervention, comparator and outcome"));
        } else {
            FreeText.require(errors, "pico.population", pico.population(), FieldLimits.PICO_ELEMENT, Lines.MULTI);
            FreeText.require(errors, "pico.intervention", pico.intervention(), FieldLimits.PICO_ELEMENT, Lines.MULTI);
            FreeText.require(errors, "pico.comparator", pico.comparator(), FieldLimits.PICO_ELEMENT, Lines.MULTI);
            FreeText.require(errors, "pico.outcome", pico.outcome(), FieldLimits.PICO_ELEMENT, Lines.MULTI);
        }
        FreeText.check(errors, "reason", reason, FieldLimits.REASON, Lines.MULTI);
        if (effectMeasure == null) {
            errors.add(new FieldError("effectMeasure", "is required, one of " + List.of(EffectMeasure.values())));
        }
        if (effectMeasure == EffectMeasure.PFT) {
            // Miller's back-transformation of a pooled double arcsine depends on the studies' sizes, so the pooled
            // proportion and its interval can move, or be misleading, when a study is added (Schwarzer et al. 2019).
            errors.add(new FieldError("effectMeasure", "PFT cannot be the measure of a living question: its pooled proportion "
                    + "depends on a back-transformation through the studies' sizes; use PLO (logits), or POST /api/v1/analyses for a one-off PFT analysis"));
        }
        if (benefitDirection == null) {
            errors.add(new FieldError("benefitDirection", "is required: LOWER when values below the null favour the intervention (a hazard ratio of death), HIGHER otherwise"));
        }
        if (settings != null) {
            if (!(settings.alpha() > 0 && settings.alpha() < 0.5)) {
                errors.add(new FieldError("settings.alpha", "must lie strictly between 0 and 0.5, was " + settings.alpha()));
            }
            requireOneOf(errors, "settings.model", settings.model(), MODELS);
            requireOneOf(errors, "settings.tau2Estimator", settings.tau2Estimator(), TAU2_ESTIMATORS);
            requireOneOf(errors, "settings.ciMethod", settings.ciMethod(), CI_METHODS);
            Double mid = settings.minimalImportantDifference();
            if (mid != null && effectMeasure != null && effectMeasure.scale() == EffectMeasure.Scale.LOG && !(mid > 0)) {
                errors.add(new FieldError("settings.minimalImportantDifference", "a ratio must be greater than 0, was " + mid));
            }
            if (mid != null && effectMeasure == EffectMeasure.PLO && !(mid > 0 && mid < 1)) {
                errors.add(new FieldError("settings.minimalImportantDifference", "a proportion must lie strictly between 0 and 1, was " + mid));
            }
            AnalysisSettings.SequentialPlan tsa = settings.tsa();
            if (tsa != null && effectMeasure == EffectMeasure.PLO) {
                errors.add(new FieldError("settings.tsa", "a trial sequential analysis needs a comparative measure, not a single-arm proportion"));
            } else if (tsa != null) {
                boolean ratio = effectMeasure != null && effectMeasure.scale() == EffectMeasure.Scale.LOG;
                if (ratio ? !(tsa.anticipatedEffect() > 0 && tsa.anticipatedEffect() != 1) : tsa.anticipatedEffect() == 0) {
                    errors.add(new FieldError("settings.tsa.anticipatedEffect", "the effect worth detecting must differ from the null"
                            + (ratio ? " and be greater than 0 (an HR of 0.80)" : "") + ", was " + tsa.anticipatedEffect()));
                }
                if (!(tsa.power() > 0.5 && tsa.power() < 1)) {
                    errors.add(new FieldError("settings.tsa.power", "must lie strictly between 0.5 and 1, was " + tsa.power()));
                }
            }
        }
        validateReferenceProportion(errors);
        if (tags != null && FreeText.checkCount(errors, "tags", tags, FieldLimits.TAGS)) {
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i) == null || !tags.get(i).matches("[a-z0-9][a-z0-9-]{0,49}")) {
                    errors.add(new FieldError("tags[" + i + "]", "must be 1 to 50 lower-case letters, digits or '-', e.g. \"breast-cancer\""));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }

    /** Checks a PUT: every rule of a definition, a reason, and no change of effect measure. */
    void validateRevisionOf(QuestionRevised current) {
        validate();
        if (reason == null || reason.isBlank()) {
            throw InputProblem.invalid("reason", "is required: say why the question changes");
        }
        if (effectMeasure != current.effectMeasure()) {
            throw InputProblem.conflict("effectMeasure", "stays " + current.effectMeasure()
                    + ": its records are entered on that scale; define a new question for another measure");
        }
    }

    /** A single-arm proportion has no natural null: the question names the proportion it is judged against. */
    private void validateReferenceProportion(List<FieldError> errors) {
        Double reference = settings == null ? null : settings.referenceProportion();
        if (effectMeasure == EffectMeasure.PLO && reference == null) {
            errors.add(new FieldError("settings.referenceProportion", "is required for a single-arm proportion: the proportion "
                    + "to judge the pooled one against, such as a historical control rate (0.45)"));
        } else if (effectMeasure == EffectMeasure.PLO && !(reference > 0 && reference < 1)) {
            errors.add(new FieldError("settings.referenceProportion", "must lie strictly between 0 and 1, was " + reference));
        } else if (reference != null && effectMeasure != null && effectMeasure.comparative()) {
            errors.add(new FieldError("settings.referenceProportion", "applies to single-arm proportions (PLO) only; "
                    + effectMeasure + " is judged against no difference"));
        }
    }

    List<String> tagsOrNull() {
        return tags == null || tags.isEmpty() ? null : tags.stream().distinct().sorted().toList();
    }

    QuestionRevised.QuestionStatus statusOrActive() {
        return status == null ? QuestionRevised.QuestionStatus.ACTIVE : status;
    }

    String reasonOrNull() {
        return RevisionReasons.strippedOrNull(reason);
    }

    AnalysisSettings settingsOrDefaults() {
        return settings == null ? AnalysisSettings.defaults() : settings;
    }

    private static void requireOneOf(List<FieldError> errors, String field, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            errors.add(new FieldError(field, "must be one of " + allowed + ", was " + value));
        }
    }
}
