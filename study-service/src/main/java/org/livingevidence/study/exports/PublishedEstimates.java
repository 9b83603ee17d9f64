package org.livingevidence.study.exports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.MalformedBodyHandler;

/** An estimate posted back to have its data exported: read as its contract, and checked against the question. */
final class PublishedEstimates {

    private PublishedEstimates() {
    }

    static PooledEstimateComputed parse(String json, String questionId) {
        if (json == null || json.isBlank()) {
            throw InputProblem.invalid("body", "post the estimate to export, as GET /api/v1/questions/" + questionId
                    + "/estimate on analysis-service returns it");
        }
        PooledEstimateComputed estimate;
        try {
            estimate = EventJson.mapper().readValue(json, PooledEstimateComputed.class);
        } catch (JsonMappingException e) {
            String field = MalformedBodyHandler.fieldPath(e);
            throw InputProblem.invalid(field.isEmpty() ? "body" : field, e.getOriginalMessage().lines().findFirst().orElse("is malformed"));
        } catch (JsonProcessingException e) {
            throw InputProblem.invalid("body", "is not JSON: " + e.getOriginalMessage());
        }
        if (estimate == null || !questionId.equals(estimate.questionId())) {
            throw InputProblem.invalid("questionId", "the estimate is of question " + (estimate == null ? null : estimate.questionId())
                    + ", not " + questionId);
        }
        if (estimate.computedAt() == null || estimate.studies() == null || estimate.studies().isEmpty()
                || estimate.fixedEffect() == null || estimate.randomEffects() == null) {
            throw InputProblem.invalid("body", "an estimate names when it was computed (computedAt), the studies it pooled (studies) "
                    + "and its fixedEffect and randomEffects results");
        }
        // An estimate pools at most one question's records: checked before any lookup, so a forged list costs nothing.
        if (estimate.studies().size() > FieldLimits.RECORDS_PER_QUESTION) {
            throw InputProblem.invalid("studies", "an estimate pools at most " + FieldLimits.RECORDS_PER_QUESTION + " records, this one lists "
                    + estimate.studies().size());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < estimate.studies().size(); i++) {
            PooledEstimateComputed.StudyContribution s = estimate.studies().get(i);
            if (s == null || s.recordId() == null || s.recordId().length() > FieldLimits.ID) {
                throw InputProblem.invalid("studies[" + i + "].recordId", "is required, an id of at most " + FieldLimits.ID + " characters");
            }
            if (!seen.add(s.recordId())) {
                throw InputProblem.invalid("studies[" + i + "].recordId", "lists " + s.recordId() + " a second time");
            }
        }
        return estimate;
    }

    /**
     * The question's settings at the estimate's time must be those it was computed with (its interval level and the
     * random-effects method it names), or the exported script would fit another model.
     */
    static void requireSettingsOf(QuestionRevised question, PooledEstimateComputed estimate) {
        AnalysisSettings s = question.settings();
        String method = "RANDOM_" + s.tau2Estimator();
        String published = estimate.randomEffects().method();
        boolean hksj = s.ciMethod() == AnalysisSettings.CiMethod.HKSJ && estimate.k() >= 2;
        boolean sameMethod = published != null && published.equals(hksj ? method + "_HKSJ" : method);
        boolean sameLevel = Math.abs(estimate.randomEffects().ciLevel() - (1 - s.alpha())) < 1e-12;
        if (!sameMethod || !sameLevel) {
            throw InputProblem.conflict("randomEffects.method", "the estimate was computed as " + published + " at level "
                    + estimate.randomEffects().ciLevel() + "; the question's settings then were " + (hksj ? method + "_HKSJ" : method)
                    + " at level " + (1 - s.alpha()) + " (revision " + question.revision() + "): they changed around that time, "
                    + "so export as of a time instead");
        }
    }
}
