package org.livingevidence.study.outcomes;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.study.revisions.RevisionReasons;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.validation.FreeText;
import org.livingevidence.support.validation.FreeText.Lines;

/**
 * A study's result for a question, entered as the paper reports it.
 *
 * @param studyId     optional: the same id on records from one trial keeps it one study
 * @param studyDesign optional; certainty ratings treat an unrecorded design as non-randomised
 * @param subgroup    optional: the subgroup the result is for; records of one trial for one question must differ in it
 * @param followUp    optional, as reported ("median 60 months")
 * @param source      optional provenance: page, table, quote
 * @param reason      why this revision was made; required on PUT
 */
public record OutcomeRecordRequest(String studyId, String studyLabel, Integer publicationYear, ReportedOutcome reported,
                                   StudyDesign studyDesign, String subgroup, String followUp,
                                   OutcomeRecordRevised.SourceLocation source, String reason) {

    void validate(EffectMeasure questionMeasure) {
        List<FieldError> errors = new ArrayList<>();
        if (studyLabel == null || studyLabel.isBlank()) {
            errors.add(new FieldError("studyLabel", "is required, e.g. \"Shien 2025 (JCOG1017)\""));
        } else {
            FreeText.check(errors, "studyLabel", studyLabel, FieldLimits.STUDY_LABEL, Lines.SINGLE);
        }
        if (studyId != null && !studyId.matches("[A-Za-z0-9_-]{1," + FieldLimits.ID + "}")) {
            errors.add(new FieldError("studyId", "may hold letters, digits, '_' and '-' only (at most " + FieldLimits.ID + ")"));
        }
        if (publicationYear != null && (publicationYear < 1900 || publicationYear > 2100)) {
            errors.add(new FieldError("publicationYear", "must lie between 1900 and 2100, was " + publicationYear));
        }
        if (reported == null) {
            errors.add(new FieldError("reported", "is required: the figures as the paper reports them"));
        } else if (reported.measure() != questionMeasure) {
            errors.add(new FieldError("reported.measure", "the question pools " + questionMeasure + ", this record reports " + reported.measure()));
        }
        if (subgroup != null && subgroup.isBlank()) {
            errors.add(new FieldError("subgroup", "must not be blank when given"));
        }
        FreeText.check(errors, "subgroup", subgroup, FieldLimits.SUBGROUP, Lines.SINGLE);
        FreeText.check(errors, "followUp", followUp, FieldLimits.FOLLOW_UP, Lines.SINGLE);
        FreeText.check(errors, "reason", reason, FieldLimits.REASON, Lines.MULTI);
        if (source != null) {
            FreeText.check(errors, "source.page", source.page(), FieldLimits.SOURCE_PAGE, Lines.SINGLE);
            FreeText.check(errors, "source.table", source.table(), FieldLimits.SOURCE_TABLE, Lines.SINGLE);
            FreeText.check(errors, "source.quote", source.quote(), FieldLimits.SOURCE_QUOTE, Lines.MULTI);
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }

    /** Checks a PUT: every rule of a new record, a reason, and the same study. */
    void validateRevisionOf(OutcomeRecordRevised current, EffectMeasure questionMeasure) {
        validate(questionMeasure);
        if (reason == null || reason.isBlank()) {
            throw InputProblem.invalid("reason", "is required: say why the record changes");
        }
        if (studyId != null && !studyId.equals(current.studyId())) {
            throw InputProblem.conflict("studyId", "stays " + current.studyId() + ": retract this record and enter one for the other study");
        }
    }

    String subgroupOrNull() {
        return subgroup == null ? null : subgroup.strip();
    }

    /** The reason as stored: stripped, and null when blank (a first revision needs none). */
    String reasonOrNull() {
        return RevisionReasons.strippedOrNull(reason);
    }
}
