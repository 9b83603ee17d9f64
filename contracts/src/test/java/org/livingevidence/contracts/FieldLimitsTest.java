package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schemas bound every typed field exactly as {@link FieldLimits} says the services do. */
class FieldLimitsTest {

    static Stream<Arguments> bounds() {
        return Stream.of(
            Arguments.of("question-revised", "/properties/questionId", "maxLength", FieldLimits.ID),
            Arguments.of("pooled-estimate-computed", "/properties/triggers", "maxItems", FieldLimits.TRIGGERS_PER_ESTIMATE),
            Arguments.of("conclusion-shifted", "/properties/triggers", "maxItems", FieldLimits.TRIGGERS_PER_ESTIMATE),
            Arguments.of("question-revised", "/properties/title", "maxLength", FieldLimits.QUESTION_TITLE),
            Arguments.of("question-revised", "/properties/revisedBy", "maxLength", FieldLimits.PRINCIPAL),
            Arguments.of("question-revised", "/properties/tags", "maxItems", FieldLimits.TAGS),
            Arguments.of("question-revised", "/properties/tags/items", "maxLength", FieldLimits.TAG),
            Arguments.of("question-revised", "/properties/reason", "maxLength", FieldLimits.REASON),
            Arguments.of("question-revised", "/$defs/settings/properties/baselineRisk/properties/timeFrame", "maxLength", FieldLimits.TIME_FRAME),
            Arguments.of("pooled-estimate-computed", "/$defs/robustness/properties/absoluteEffect/properties/timeFrame", "maxLength", FieldLimits.TIME_FRAME),
            Arguments.of("question-revised", "/$defs/pico/properties/population", "maxLength", FieldLimits.PICO_ELEMENT),
            Arguments.of("question-revised", "/$defs/pico/properties/intervention", "maxLength", FieldLimits.PICO_ELEMENT),
            Arguments.of("question-revised", "/$defs/pico/properties/comparator", "maxLength", FieldLimits.PICO_ELEMENT),
            Arguments.of("question-revised", "/$defs/pico/properties/outcome", "maxLength", FieldLimits.PICO_ELEMENT),
            Arguments.of("outcome-record-revised", "/properties/recordId", "maxLength", FieldLimits.ID),
            Arguments.of("outcome-record-revised", "/properties/questionId", "maxLength", FieldLimits.ID),
            Arguments.of("outcome-record-revised", "/properties/studyId", "maxLength", FieldLimits.ID),
            Arguments.of("outcome-record-revised", "/properties/studyLabel", "maxLength", FieldLimits.STUDY_LABEL),
            Arguments.of("outcome-record-revised", "/properties/revisedBy", "maxLength", FieldLimits.PRINCIPAL),
            Arguments.of("outcome-record-revised", "/properties/reason", "maxLength", FieldLimits.REASON),
            Arguments.of("outcome-record-revised", "/properties/subgroup", "maxLength", FieldLimits.SUBGROUP),
            Arguments.of("outcome-record-revised", "/properties/followUp", "maxLength", FieldLimits.FOLLOW_UP),
            Arguments.of("outcome-record-revised", "/properties/source/properties/page", "maxLength", FieldLimits.SOURCE_PAGE),
            Arguments.of("outcome-record-revised", "/properties/source/properties/table", "maxLength", FieldLimits.SOURCE_TABLE),
            Arguments.of("outcome-record-revised", "/properties/source/properties/quote", "maxLength", FieldLimits.SOURCE_QUOTE),
            Arguments.of("study-revised", "/properties/studyId", "maxLength", FieldLimits.ID),
            Arguments.of("study-revised", "/properties/citation/properties/title", "maxLength", FieldLimits.CITATION_TITLE),
            Arguments.of("study-revised", "/properties/citation/properties/authors", "maxItems", FieldLimits.AUTHORS),
            Arguments.of("study-revised", "/properties/citation/properties/authors/items", "maxLength", FieldLimits.AUTHOR),
            Arguments.of("study-revised", "/properties/citation/properties/journal", "maxLength", FieldLimits.JOURNAL),
            Arguments.of("study-revised", "/properties/citation/properties/doi", "maxLength", FieldLimits.DOI),
            Arguments.of("study-revised", "/properties/citation/properties/pmid", "maxLength", FieldLimits.PMID),
            Arguments.of("study-revised", "/properties/citation/properties/registryIds", "maxItems", FieldLimits.REGISTRY_IDS),
            Arguments.of("study-revised", "/properties/citation/properties/registryIds/items", "maxLength", FieldLimits.REGISTRY_ID),
            Arguments.of("study-revised", "/properties/arms", "maxItems", FieldLimits.ARMS),
            Arguments.of("study-revised", "/properties/arms/items/properties/label", "maxLength", FieldLimits.ARM_LABEL),
            Arguments.of("study-revised", "/properties/riskOfBias/properties/tool", "maxLength", FieldLimits.RISK_OF_BIAS_TOOL),
            Arguments.of("study-revised", "/properties/riskOfBias/properties/notes", "maxLength", FieldLimits.RISK_OF_BIAS_NOTES),
            Arguments.of("study-revised", "/properties/linkedStudyIds", "maxItems", FieldLimits.LINKED_STUDIES),
            Arguments.of("study-revised", "/properties/linkedStudyIds/items", "maxLength", FieldLimits.ID),
            Arguments.of("study-revised", "/properties/revisedBy", "maxLength", FieldLimits.PRINCIPAL),
            Arguments.of("study-revised", "/properties/reason", "maxLength", FieldLimits.REASON),
            Arguments.of("pooled-estimate-computed", "/properties/questionId", "maxLength", FieldLimits.ID),
            Arguments.of("pooled-estimate-computed", "/properties/studies", "maxItems", FieldLimits.RECORDS_PER_QUESTION),
            Arguments.of("pooled-estimate-computed", "/properties/questionTitle", "maxLength", FieldLimits.QUESTION_TITLE),
            Arguments.of("pooled-estimate-computed", "/properties/questionTags", "maxItems", FieldLimits.TAGS),
            Arguments.of("pooled-estimate-computed", "/properties/questionTags/items", "maxLength", FieldLimits.TAG),
            Arguments.of("pooled-estimate-computed", "/$defs/study/properties/recordId", "maxLength", FieldLimits.ID),
            Arguments.of("pooled-estimate-computed", "/$defs/study/properties/studyLabel", "maxLength", FieldLimits.STUDY_LABEL),
            Arguments.of("pooled-estimate-computed", "/$defs/trigger/properties/id", "maxLength", FieldLimits.ID),
            Arguments.of("pooled-estimate-computed", "/$defs/trigger/properties/label", "maxLength", FieldLimits.QUESTION_TITLE),
            Arguments.of("conclusion-shifted", "/properties/questionId", "maxLength", FieldLimits.ID),
            Arguments.of("conclusion-shifted", "/properties/questionTitle", "maxLength", FieldLimits.QUESTION_TITLE),
            Arguments.of("conclusion-shifted", "/properties/questionTags", "maxItems", FieldLimits.TAGS),
            Arguments.of("conclusion-shifted", "/properties/questionTags/items", "maxLength", FieldLimits.TAG),
            Arguments.of("conclusion-shifted", "/$defs/trigger/properties/id", "maxLength", FieldLimits.ID),
            Arguments.of("conclusion-shifted", "/$defs/trigger/properties/label", "maxLength", FieldLimits.QUESTION_TITLE)
        );
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("bounds")
    void theSchemaStatesTheBoundTheServicesEnforce(String schema, String path, String keyword, int limit) {
        JsonNode node = ContractResources.json(ContractResources.classpathFolder(
                "org/livingevidence/contracts/schemas/" + schema + "/v1.json")).at(path);
        assertThat(node.path(keyword).asInt(-1)).isEqualTo(limit);
    }
}
