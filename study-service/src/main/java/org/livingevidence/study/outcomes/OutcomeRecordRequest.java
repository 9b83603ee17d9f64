package org.livingevidence.study.outcomes;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * A study's result for a question, entered as the paper reports it.
 *
 * @param studyId     optional: the same id on records from one trial keeps it one study
 * @param studyDesign optional; certainty ratings treat an unrecorded design as non-randomised
 */
public record OutcomeRecordRequest(String studyId, String studyLabel, Integer publicationYear, ReportedOutcome reported,
                                   StudyDesign studyDesign) {

    void validate(EffectMeasure questionMeasure) {
        List<FieldError> errors = new ArrayList<>();
        if (studyLabel == null || studyLabel.isBlank()) {
            errors.add(new FieldError("studyLabel", "is required, e.g. \"Shien 2025 (JCOG1017)\""));
        }
        if (studyId != null && !studyId.matches("[A-Za-z0-9_-]{1,64}")) {
            errors.add(new FieldError("studyId", "may hold letters, digits, '_' and '-' only (at most 64)"));
        }
        if (publicationYear != null && (publicationYear < 1900 || publicationYear > 2100)) {
            errors.add(new FieldError("publicationYear", "must lie between 1900 and 2100, was " + publicationYear));
        }
        if (reported == null) {
            errors.add(new FieldError("reported", "is required: the figures as the paper reports them"));
        } else if (reported.measure() != questionMeasure) {
            errors.add(new FieldError("reported.measure", "the question pools " + questionMeasure + ", this record reports " + reported.measure()));
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }
}
