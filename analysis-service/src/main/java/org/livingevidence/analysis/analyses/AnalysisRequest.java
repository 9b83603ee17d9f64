package org.livingevidence.analysis.analyses;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.validation.AnalysisSettingsRules;
import org.livingevidence.support.validation.FreeText;

/**
 * A stateless analysis: studies given either as an effect on the analysis scale (estimate with standardError or
 * variance) or as reported figures to derive, and how to pool them. Unset options take the defaults of a new
 * evidence question (DL random effects, Wald interval, alpha 0.05, lower values favour the intervention).
 *
 * @param referenceProportion PLO only: the proportion to conclude against; without it a proportion has no conclusion
 */
public record AnalysisRequest(EffectMeasure measure, BenefitDirection benefitDirection, AnalysisSettings.Model model,
                              AnalysisSettings.Tau2Estimator tau2Estimator, AnalysisSettings.CiMethod ciMethod, Double alpha,
                              List<StudyInput> studies,
                              TsaInput tsa, Double referenceProportion) {

    /**
     * One study.
     *
     * @param estimate on the analysis scale (log for ratios), with {@code standardError} or {@code variance}
     * @param reported figures as the paper reports them, instead of estimate and SE
     * @param subgroup optional label for a subgroup analysis
     * @param year     optional publication year: the order of the cumulative and sequential analyses
     * @param studyDesign optional: the certainty rating counts randomised and observational studies
     */
    public record StudyInput(String label, Double estimate, Double standardError, Double variance,
                             ReportedOutcome reported, String subgroup, Integer year, StudyDesign studyDesign) {
    }

    /**
     * Trial sequential analysis settings.
     *
     * @param anticipatedEffect on the natural scale (an HR of 0.80)
     * @param diversity         D² to plan for; estimated from the data when absent
     */
    public record TsaInput(Double anticipatedEffect, Double power, Double diversity) {
    }

    /** Leave-one-out and cumulative analyses refit k models: bounded so that one request cannot take minutes. */
    static final int MAX_STUDIES = 2_000;

    void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (measure == null) {
            errors.add(new FieldError("measure", "is required, one of " + List.of(EffectMeasure.values())));
        }
        if (studies == null || studies.isEmpty()) {
            errors.add(new FieldError("studies", "give at least one study"));
        } else if (studies.size() > MAX_STUDIES) {
            errors.add(new FieldError("studies", "at most " + MAX_STUDIES + " studies per request, got " + studies.size()));
        } else {
            for (int i = 0; i < studies.size(); i++) {
                validateStudy(errors, "studies[" + i + "]", studies.get(i));
            }
        }
        AnalysisSettingsRules.check(errors, "", new AnalysisSettingsRules.Settings(measure, alpha, null, referenceProportion,
                tsa == null ? null : new AnalysisSettingsRules.Sequential(tsa.anticipatedEffect(), tsa.power(), tsa.diversity())),
                AnalysisSettingsRules.Reference.OPTIONAL);
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }

    private void validateStudy(List<FieldError> errors, String path, StudyInput s) {
        if (s == null) {
            errors.add(new FieldError(path, "must not be null"));
            return;
        }
        FreeText.require(errors, path + ".label", s.label(), FieldLimits.STUDY_LABEL, FreeText.Lines.SINGLE);
        FreeText.check(errors, path + ".subgroup", s.subgroup(), FieldLimits.SUBGROUP, FreeText.Lines.SINGLE);
        if (s.reported() != null) {
            if (s.estimate() != null || s.standardError() != null || s.variance() != null) {
                errors.add(new FieldError(path + ".reported", "give reported figures or an estimate with its SE, not both"));
            } else if (measure != null && s.reported().measure() != measure) {
                errors.add(new FieldError(path + ".reported.measure", "the analysis pools " + measure + ", this study reports " + s.reported().measure()));
            }
            return;
        }
        if (s.estimate() == null || !Double.isFinite(s.estimate())) {
            errors.add(new FieldError(path + ".estimate", "a finite estimate on the analysis scale is required (or give reported figures)"));
        }
        if ((s.standardError() == null) == (s.variance() == null)) {
            errors.add(new FieldError(path + ".standardError", "give exactly one of standardError and variance"));
        } else if (s.standardError() != null && !(s.standardError() > 0 && Double.isFinite(s.standardError()))) {
            errors.add(new FieldError(path + ".standardError", "must be finite and greater than 0, was " + s.standardError()));
        } else if (s.variance() != null && !(s.variance() > 0 && Double.isFinite(s.variance()))) {
            errors.add(new FieldError(path + ".variance", "must be finite and greater than 0, was " + s.variance()));
        }
    }
}
