package org.livingevidence.study.studies;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.contracts.events.StudyRevised;
import org.livingevidence.study.revisions.RevisionReasons;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.validation.FreeText;
import org.livingevidence.support.validation.FreeText.Lines;

/**
 * A study as a curator registers it (POST) or revises it (PUT, replacing every field).
 *
 * @param linkedStudyIds other publications of the same trial, already registered
 * @param status         ACTIVE unless given; RETRACTED when the publication was retracted
 * @param reason         why this revision was made; required on PUT
 */
public record StudyRequest(StudyRevised.Citation citation, StudyDesign design, StudyRevised.Enrolment enrolment,
                           List<StudyRevised.Arm> arms, StudyRevised.RiskOfBias riskOfBias, List<String> linkedStudyIds,
                           StudyRevised.StudyStatus status, String reason) {

    private static final Pattern DOI = Pattern.compile("10\\.\\d{4,9}/\\S+");
    private static final Pattern PMID = Pattern.compile("\\d{1,9}");
    /** The registries curators meet most; other identifiers are accepted as written. */
    private static final List<Pattern> KNOWN_REGISTRIES = List.of(Pattern.compile("NCT\\d{8}"), Pattern.compile("UMIN\\d{9}"),
            Pattern.compile("jRCT[a-z]?\\d{7,10}"), Pattern.compile("ISRCTN\\d{8}"), Pattern.compile("ChiCTR[-A-Za-z0-9]+"));
    private static final List<String> KNOWN_PREFIXES = List.of("NCT", "UMIN", "jRCT", "ISRCTN", "ChiCTR");

    void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (citation == null) {
            errors.add(new FieldError("citation", "is required: at least its title"));
        } else {
            FreeText.require(errors, "citation.title", citation.title(), FieldLimits.CITATION_TITLE, Lines.SINGLE);
            FreeText.check(errors, "citation.journal", citation.journal(), FieldLimits.JOURNAL, Lines.SINGLE);
            if (citation.authors() != null && FreeText.checkCount(errors, "citation.authors", citation.authors(), FieldLimits.AUTHORS)) {
                for (int i = 0; i < citation.authors().size(); i++) {
                    FreeText.require(errors, "citation.authors[" + i + "]", citation.authors().get(i), FieldLimits.AUTHOR, Lines.SINGLE);
                }
            }
            if (citation.year() != null && (citation.year() < 1900 || citation.year() > 2100)) {
                errors.add(new FieldError("citation.year", "must lie between 1900 and 2100, was " + citation.year()));
            }
            FreeText.check(errors, "citation.doi", citation.doi(), FieldLimits.DOI, Lines.SINGLE);
            if (citation.doi() != null && !DOI.matcher(citation.doi()).matches()) {
                errors.add(new FieldError("citation.doi", "must look like 10.1038/s41416-025-03097-z (no https://doi.org/ prefix), was " + citation.doi()));
            }
            if (citation.pmid() != null && !PMID.matcher(citation.pmid()).matches()) {
                errors.add(new FieldError("citation.pmid", "must be the PubMed number only, was " + citation.pmid()));
            }
            List<String> registryIds = citation.registryIds() == null ? List.of() : citation.registryIds();
            FreeText.checkCount(errors, "citation.registryIds", registryIds, FieldLimits.REGISTRY_IDS);
            for (int i = 0; i < registryIds.size() && i < FieldLimits.REGISTRY_IDS; i++) {
                String id = registryIds.get(i);
                boolean known = id != null && KNOWN_PREFIXES.stream().anyMatch(id::startsWith);
                FreeText.check(errors, "citation.registryIds[" + i + "]", id, FieldLimits.REGISTRY_ID, Lines.SINGLE);
                if (id == null || id.isBlank() || known && KNOWN_REGISTRIES.stream().noneMatch(p -> p.matcher(id).matches())) {
                    errors.add(new FieldError("citation.registryIds[" + i + "]", "is not a valid registration (NCT + 8 digits, UMIN + 9 digits, jRCT..., ISRCTN + 8 digits), was " + id));
                }
            }
        }
        if (design == null) {
            errors.add(new FieldError("design", "is required, one of " + List.of(StudyDesign.values())));
        }
        if (enrolment != null) {
            YearMonth start = yearMonth(errors, "enrolment.start", enrolment.start());
            YearMonth end = yearMonth(errors, "enrolment.end", enrolment.end());
            if (start != null && end != null && end.isBefore(start)) {
                errors.add(new FieldError("enrolment.end", "is before the start " + start));
            }
        }
        if (arms != null && FreeText.checkCount(errors, "arms", arms, FieldLimits.ARMS)) {
            for (int i = 0; i < arms.size(); i++) {
                StudyRevised.Arm arm = arms.get(i);
                FreeText.require(errors, "arms[" + i + "].label", arm == null ? null : arm.label(), FieldLimits.ARM_LABEL, Lines.SINGLE);
                if (arm != null && arm.participants() < 1) {
                    errors.add(new FieldError("arms[" + i + "].participants", "must be at least 1, was " + arm.participants()));
                }
            }
        }
        if (riskOfBias != null && riskOfBias.overall() == null) {
            errors.add(new FieldError("riskOfBias.overall", "is required: LOW, SOME_CONCERNS or HIGH"));
        }
        if (riskOfBias != null) {
            FreeText.check(errors, "riskOfBias.tool", riskOfBias.tool(), FieldLimits.RISK_OF_BIAS_TOOL, Lines.SINGLE);
            FreeText.check(errors, "riskOfBias.notes", riskOfBias.notes(), FieldLimits.RISK_OF_BIAS_NOTES, Lines.MULTI);
        }
        if (linkedStudyIds != null && FreeText.checkCount(errors, "linkedStudyIds", linkedStudyIds, FieldLimits.LINKED_STUDIES)) {
            for (int i = 0; i < linkedStudyIds.size(); i++) {
                String id = linkedStudyIds.get(i);
                if (id == null || !id.matches("[A-Za-z0-9_-]{1," + FieldLimits.ID + "}")) {
                    errors.add(new FieldError("linkedStudyIds[" + i + "]", "must be a study id (letters, digits, '_' and '-', at most " + FieldLimits.ID + ")"));
                }
            }
        }
        FreeText.check(errors, "reason", reason, FieldLimits.REASON, Lines.MULTI);
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
    }

    void validateRevision() {
        validate();
        if (reason == null || reason.isBlank()) {
            throw InputProblem.invalid("reason", "is required: say why the study changes");
        }
    }

    List<String> linksOrNull() {
        return linkedStudyIds == null || linkedStudyIds.isEmpty() ? null : linkedStudyIds.stream().distinct().sorted().toList();
    }

    StudyRevised.StudyStatus statusOrActive() {
        return status == null ? StudyRevised.StudyStatus.ACTIVE : status;
    }

    String reasonOrNull() {
        return RevisionReasons.strippedOrNull(reason);
    }

    private static YearMonth yearMonth(List<FieldError> errors, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a year and month, e.g. 2011-05, was " + value));
            return null;
        }
    }
}
