package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each schema must stay backward compatible with its released baseline in {@code contracts/schema-baselines}.
 * A breaking change needs a new version (a new schema file, event type and topic), not an edit.
 */
class SchemaCompatibilityTest {

    private static JsonNode baseline(EventType type) {
        Path file = ContractResources.moduleDir().resolve("schema-baselines")
                .resolve(type.schemaName()).resolve("v" + type.version() + ".json");
        assertThat(file).as("released baseline of " + type.ceType()).exists();
        return ContractResources.json(file);
    }

    private static JsonNode current(EventType type) {
        return ContractResources.json(ContractResources.classpathFolder(type.schemaResource()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void currentSchemaIsBackwardCompatibleWithItsBaseline(EventType type) {
        assertThat(SchemaCompatibility.breakingChanges(baseline(type), current(type))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void baselineExamplesStillValidate(EventType type) throws Exception {
        // Payloads frozen when the baseline was released: what producers of that version sent must stay valid.
        Path folder = ContractResources.moduleDir().resolve("schema-baselines").resolve(type.schemaName())
                .resolve("v" + type.version() + "-examples");
        List<Path> examples;
        try (Stream<Path> files = Files.list(folder)) {
            examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(examples).as("frozen examples of " + type.ceType()).isNotEmpty();
        for (Path example : examples) {
            assertThat(EventSchemas.violations(type, ContractResources.json(example))).as(example.toString()).isEmpty();
        }
    }

    @Test
    void newRequiredFieldIsBreaking() {
        ObjectNode changed = current(EventType.QUESTION_REVISED).deepCopy();
        ((ArrayNode) changed.get("required")).add("owner");
        ((ObjectNode) changed.get("properties")).putObject("owner").put("type", "string");

        assertThat(SchemaCompatibility.breakingChanges(baseline(EventType.QUESTION_REVISED), changed))
                .containsExactly("$: property 'owner' became required");
    }

    @Test
    void removedEnumValueAndRemovedPropertyAreBreaking() {
        ObjectNode changed = current(EventType.CONCLUSION_SHIFTED).deepCopy();
        ObjectNode conclusion = (ObjectNode) changed.at("/$defs/conclusion/properties");
        ((ArrayNode) conclusion.get("direction").get("enum")).remove(2);
        conclusion.remove("statement");

        assertThat(SchemaCompatibility.breakingChanges(baseline(EventType.CONCLUSION_SHIFTED), changed))
                .contains("$.previous.direction: enum value \"NO_DIFFERENCE\" removed",
                        "$.previous.statement: property removed");
    }

    @Test
    void addingAnOptionalFieldAnEnumValueOrAReportedFormIsCompatible() {
        ObjectNode changed = current(EventType.OUTCOME_RECORD_REVISED).deepCopy();
        ((ObjectNode) changed.get("properties")).putObject("registryNote").put("type", "string");
        ((ArrayNode) changed.at("/$defs/derived/properties/measure/enum")).add("PROPORTION");
        ObjectNode newForm = ((ObjectNode) changed.get("$defs")).putObject("ratioWithBayesFactor");
        newForm.put("type", "object").putObject("properties").putObject("form").put("const", "RATIO_WITH_BAYES_FACTOR");
        ((ArrayNode) changed.at("/$defs/reported/oneOf")).addObject().put("$ref", "#/$defs/ratioWithBayesFactor");

        assertThat(SchemaCompatibility.breakingChanges(baseline(EventType.OUTCOME_RECORD_REVISED), changed)).isEmpty();
    }

    @Test
    void aNewMaximumLengthIsBreaking() {
        ObjectNode changed = current(EventType.QUESTION_REVISED).deepCopy();
        ((ObjectNode) changed.at("/properties/title")).put("maxLength", 100);

        assertThat(SchemaCompatibility.breakingChanges(baseline(EventType.QUESTION_REVISED), changed))
                .anySatisfy(p -> assertThat(p).contains("title").contains("maxLength"));
    }

    @Test
    void narrowingANumberBoundIsBreaking() {
        ObjectNode changed = current(EventType.OUTCOME_RECORD_REVISED).deepCopy();
        ((ObjectNode) changed.at("/$defs/ratioWithCi/properties/ciLevel")).put("exclusiveMinimum", 0.5);

        assertThat(SchemaCompatibility.breakingChanges(baseline(EventType.OUTCOME_RECORD_REVISED), changed))
                .anySatisfy(p -> assertThat(p).contains("exclusiveMinimum tightened"));
    }

    /** The webhook, feed and email alert is a public contract too, though no topic carries it. */
    @Test
    void theAlertSchemaIsBackwardCompatibleWithItsBaselineAndItsFrozenExamplesStillValidate() throws Exception {
        Path folder = ContractResources.moduleDir().resolve("schema-baselines").resolve("alert");
        JsonNode current = withConclusionShiftedDefs(
                ContractResources.json(ContractResources.classpathFolder("org/livingevidence/contracts/schemas/alert/v1.json")),
                current(EventType.CONCLUSION_SHIFTED));
        JsonNode released = withConclusionShiftedDefs(ContractResources.json(folder.resolve("v1.json")), baseline(EventType.CONCLUSION_SHIFTED));
        assertThat(SchemaCompatibility.breakingChanges(released, current)).isEmpty();
        List<Path> examples;
        try (Stream<Path> files = Files.list(folder.resolve("v1-examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            assertThat(org.livingevidence.contracts.alerts.AlertSchema.violations(ContractResources.json(example))).as(example.toString()).isEmpty();
        }
    }

    /**
     * The alert schema borrows the conclusion and trigger definitions of the conclusion-shifted schema: copied into its
     * own definitions, so that the compatibility check (local references only) compares what an alert really holds.
     */
    private static JsonNode withConclusionShiftedDefs(JsonNode alert, JsonNode conclusionShifted) {
        ObjectNode copy = alert.deepCopy();
        ObjectNode defs = copy.with("$defs");
        conclusionShifted.get("$defs").fields().forEachRemaining(d -> {
            if (!defs.has(d.getKey())) {
                defs.set(d.getKey(), d.getValue());
            }
        });
        localiseReferences(copy);
        return copy;
    }

    private static void localiseReferences(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("$ref")) {
            object.put("$ref", object.get("$ref").asText().replace("../conclusion-shifted/v1.json#", "#"));
        }
        node.forEach(SchemaCompatibilityTest::localiseReferences);
    }

    @Test
    void baselinesExistOnlyForKnownEventTypesAndTheAlert() throws Exception {
        try (var dirs = Files.list(ContractResources.moduleDir().resolve("schema-baselines"))) {
            assertThat(dirs.map(d -> d.getFileName().toString())).allMatch(name -> name.equals("alert")
                    || java.util.Arrays.stream(EventType.values()).anyMatch(t -> t.schemaName().equals(name)));
        }
    }
}
