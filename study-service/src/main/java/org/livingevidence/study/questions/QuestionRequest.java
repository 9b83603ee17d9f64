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
import org.livingevidence.study.revisions.RevisionReasons;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.validation.AnalysisSettingsRules;
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
            requirePresent(errors, "settings.model", settings.model(), AnalysisSettings.Model.values());
            requirePresent(errors, "settings.tau2Estimator", settings.tau2Estimator(), AnalysisSettings.Tau2Estimator.values());
            requirePresent(errors, "settings.ciMethod", settings.ciMethod(), AnalysisSettings.CiMethod.values());
        }
        AnalysisSettings.SequentialPlan tsa = settings == null ? null : settings.tsa();
        AnalysisSettingsRules.check(errors, "settings.", new AnalysisSettingsRules.Settings(effectMeasure,
                settings == null ? null : settings.alpha(), settings == null ? null : settings.minimalImportantDifference(),
                settings == null ? null : settings.referenceProportion(),
                tsa == null ? null : new AnalysisSettingsRules.Sequential(tsa.anticipatedEffect(), tsa.power(), null)),
                AnalysisSettingsRules.Reference.REQUIRED_FOR_PROPORTIONS);
        AnalysisSettings.BaselineRisk baseline = settings == null ? null : settings.baselineRisk();
        if (baseline != null) {
            if (effectMeasure != null && !List.of(EffectMeasure.HR, EffectMeasure.RR, EffectMeasure.OR, EffectMeasure.RD).contains(effectMeasure)) {
                errors.add(new FieldError("settings.baselineRisk", "applies to HR, RR, OR and RD questions (a risk the effect changes), not " + effectMeasure));
            }
            if (!(baseline.risk() > 0 && baseline.risk() < 1)) {
                errors.add(new FieldError("settings.baselineRisk.risk", "must lie strictly between 0 and 1 (0.20 for 200 per 1,000), was " + baseline.risk()));
            }
            FreeText.require(errors, "settings.baselineRisk.timeFrame", baseline.timeFrame(), FieldLimits.TIME_FRAME, Lines.SINGLE);
        }
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

    private static void requirePresent(List<FieldError> errors, String field, Enum<?> value, Enum<?>[] allowed) {
        if (value == null) {
            errors.add(new FieldError(field, "is required, one of " + Arrays.toString(allowed)));
        }
    }
}
