package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiscriminatedOneOfTest {

    @Test
    void aReportedOutcomeIsCheckedAgainstTheBranchItsFormNames() {
        JsonNode published = schema(EventType.OUTCOME_RECORD_REVISED);
        JsonNode rewritten = DiscriminatedOneOf.rewrite(published);

        JsonNode reported = rewritten.at("/$defs/reported");
        assertThat(reported.has("oneOf")).isFalse();
        assertThat(reported.get("allOf")).hasSize(1 + published.at("/$defs/reported/oneOf").size());
        assertThat(reported.at("/allOf/0/properties/form/enum").toString()).contains("RATIO_WITH_CI", "ESTIMATE_WITH_SE");
        assertThat(published.at("/$defs/reported").has("oneOf")).as("the published schema is not changed").isTrue();
    }

    @Test
    void aRefusedOutcomeIsToldWhatItsOwnFormLacks() {
        ObjectNode payload = (ObjectNode) example(EventType.OUTCOME_RECORD_REVISED, "ratio-with-90-percent-ci.json");
        ((ObjectNode) payload.get("reported")).remove("lower");

        List<String> violations = EventSchemas.violations(EventType.OUTCOME_RECORD_REVISED, payload);

        assertThat(violations).anyMatch(v -> v.contains("lower"));
        assertThat(String.join("\n", violations)).doesNotContain("eventsIntervention", "median", "proportion");
    }

    @Test
    void aOneOfWhoseBranchesShareAConstantOrAreNotAllObjectsStaysAsItIs() {
        JsonNode sameConstant = json("""
                {"oneOf": [{"type": "object", "required": ["form"], "properties": {"form": {"const": "A"}}},
                           {"type": "object", "required": ["form"], "properties": {"form": {"const": "A"}, "x": {"type": "number"}}}]}""");
        JsonNode nullOrObject = json("""
                {"oneOf": [{"type": "null"}, {"type": "object", "required": ["form"], "properties": {"form": {"const": "A"}}}]}""");
        JsonNode numbers = json("""
                {"oneOf": [{"type": "object", "required": ["n"], "properties": {"n": {"const": 1}}},
                           {"type": "object", "required": ["n"], "properties": {"n": {"const": 1.0}}}]}""");
        JsonNode unevaluated = json("""
                {"unevaluatedProperties": false,
                 "oneOf": [{"type": "object", "required": ["form"], "properties": {"form": {"const": "A"}}},
                           {"type": "object", "required": ["form"], "properties": {"form": {"const": "B"}}}]}""");

        JsonNode nestedResource = json("""
                {"$defs": {"a": {"type": "object", "required": ["k"], "properties": {"k": {"const": "A"}}},
                           "b": {"type": "object", "required": ["k"], "properties": {"k": {"const": "B"}}},
                           "inner": {"$id": "https://example.org/inner",
                                     "oneOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/b"}]}},
                 "$ref": "#/$defs/inner"}""");
        JsonNode anchorRef = json("""
                {"$defs": {"a": {"type": "object", "required": ["k"], "properties": {"k": {"const": "A"}}}},
                 "oneOf": [{"$ref": "#a"}, {"type": "object", "required": ["k"], "properties": {"k": {"const": "B"}}}]}""");
        JsonNode refIntoBranch = json("""
                {"properties": {"x": {"$ref": "#/properties/y/oneOf/0"},
                                "y": {"oneOf": [{"type": "object", "required": ["k"], "properties": {"k": {"const": "A"}}},
                                                {"type": "object", "required": ["k"], "properties": {"k": {"const": "B"}}}]}}}""");
        JsonNode percentRef = json("""
                {"$defs": {"a b": {"type": "object", "required": ["k"], "properties": {"k": {"const": "A"}}},
                           "c": {"type": "object", "required": ["k"], "properties": {"k": {"const": "B"}}}},
                 "oneOf": [{"$ref": "#/$defs/a%20b"}, {"$ref": "#/$defs/c"}]}""");
        JsonNode oneOfAsData = json("""
                {"const": {"oneOf": [{"type": "object", "required": ["k"], "properties": {"k": {"const": "A"}}},
                                     {"type": "object", "required": ["k"], "properties": {"k": {"const": "B"}}}]}}""");

        for (JsonNode schema : List.of(sameConstant, nullOrObject, numbers, unevaluated, nestedResource, anchorRef,
                refIntoBranch, percentRef, oneOfAsData)) {
            assertThat(DiscriminatedOneOf.rewrite(schema)).as("%s", schema).isEqualTo(schema);
        }
    }

    /** Inline branches, a branch reached through two references, and an allOf already beside the oneOf. */
    @Test
    void inlineAndIndirectBranchesBesideAnAllOfAcceptWhatTheyAcceptedBefore() {
        JsonNode published = json("""
                {"$defs": {"viaRef": {"$ref": "#/$defs/b"},
                           "b": {"type": "object", "required": ["kind", "n"],
                                 "properties": {"kind": {"const": "B"}, "n": {"type": "number", "minimum": 0}}}},
                 "allOf": [{"required": ["id"]}],
                 "oneOf": [{"type": "object", "required": ["kind", "text"],
                            "properties": {"kind": {"const": "A"}, "text": {"type": "string"}}},
                           {"$ref": "#/$defs/b"}]}""");
        JsonNode rewritten = DiscriminatedOneOf.rewrite(published);
        assertThat(rewritten.has("oneOf")).isFalse();
        assertThat(rewritten.get("allOf")).hasSize(1 + 1 + 2);

        List<String> instances = List.of("{\"id\": 1, \"kind\": \"A\", \"text\": \"t\"}", "{\"id\": 1, \"kind\": \"B\", \"n\": 2}",
                "{\"kind\": \"A\", \"text\": \"t\"}", "{\"id\": 1, \"kind\": \"A\", \"n\": 2}",
                "{\"id\": 1, \"kind\": \"B\", \"n\": -1}", "{\"id\": 1, \"kind\": \"C\", \"text\": \"t\"}",
                "{\"id\": 1, \"text\": \"t\", \"n\": 2}", "{\"id\": 1, \"kind\": \"A\", \"text\": \"t\", \"n\": -1}",
                "\"A\"", "[]", "null", "{}");
        JsonSchema asPublished = EventSchemas.compile(published);
        JsonSchema asRewritten = EventSchemas.compile(rewritten);
        int accepted = 0;
        for (String instance : instances) {
            boolean valid = asPublished.validate(json(instance)).isEmpty();
            assertThat(asRewritten.validate(json(instance)).isEmpty()).as(instance).isEqualTo(valid);
            accepted += valid ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(3);
    }

    /** The forms no golden example reports: valid in both forms of the schema, and their variants agree too. */
    @Test
    void theFormsWithoutAnExampleAreAcceptedAsBefore() {
        JsonNode published = schema(EventType.OUTCOME_RECORD_REVISED);
        JsonSchema asPublished = EventSchemas.compile(published);
        JsonSchema asRewritten = EventSchemas.compile(DiscriminatedOneOf.rewrite(published));
        Set<String> constants = new LinkedHashSet<>();
        collectConstants(published, constants);
        for (String reported : List.of(
                "{\"form\": \"EVENTS_AND_TOTALS\", \"measure\": \"RR\", \"eventsIntervention\": 12, \"totalIntervention\": 100,"
                        + " \"eventsComparator\": 20, \"totalComparator\": 98}",
                "{\"form\": \"MEANS_AND_SDS\", \"measure\": \"MD\", \"meanIntervention\": 4.1, \"sdIntervention\": 1.2,"
                        + " \"nIntervention\": 40, \"meanComparator\": 4.9, \"sdComparator\": 1.4, \"nComparator\": 41}")) {
            ObjectNode record = (ObjectNode) example(EventType.OUTCOME_RECORD_REVISED, "estimate-with-se.json");
            record.set("reported", json(reported));
            assertThat(asPublished.validate(record)).isEmpty();
            for (JsonNode variant : variants(record, constants)) {
                assertThat(asRewritten.validate(variant).isEmpty()).as("variant %s", variant)
                        .isEqualTo(asPublished.validate(variant).isEmpty());
            }
        }
    }

    /**
     * The rewritten schema accepts exactly what the published one accepts: every example, and every variant of it
     * with one field removed, emptied, of another type, or set to another constant the schema names (another form,
     * which moves a reported outcome to another branch), is accepted by both or refused by both.
     */
    @ParameterizedTest
    @EnumSource(EventType.class)
    void theRewrittenSchemaAcceptsWhatThePublishedOneAccepts(EventType type) {
        JsonNode published = schema(type);
        JsonSchema asPublished = EventSchemas.compile(published);
        JsonSchema asRewritten = EventSchemas.compile(DiscriminatedOneOf.rewrite(published));
        Set<String> constants = new LinkedHashSet<>();
        collectConstants(published, constants);
        int accepted = 0;
        int refused = 0;
        for (Path file : ContractResources.examples(type)) {
            for (JsonNode variant : variants(ContractResources.json(file), constants)) {
                boolean valid = asPublished.validate(variant).isEmpty();
                assertThat(asRewritten.validate(variant).isEmpty()).as("%s, variant %s", file.getFileName(), variant).isEqualTo(valid);
                if (valid) {
                    accepted++;
                } else {
                    refused++;
                }
            }
        }
        assertThat(accepted).as("variants both accept").isPositive();
        assertThat(refused).as("variants both refuse").isPositive();
    }

    private static List<JsonNode> variants(JsonNode example, Set<String> constants) {
        List<JsonNode> variants = new ArrayList<>();
        variants.add(example);
        List<JsonNode> replacements = new ArrayList<>(List.of(JsonNodeFactory.instance.nullNode(),
                JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.numberNode(-1),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode()));
        constants.forEach(c -> replacements.add(JsonNodeFactory.instance.textNode(c)));
        eachField(example, "", (pointer) -> {
            JsonNode removed = example.deepCopy();
            parentOf(removed, pointer).remove(name(pointer));
            variants.add(removed);
            for (JsonNode replacement : replacements) {
                JsonNode changed = example.deepCopy();
                parentOf(changed, pointer).set(name(pointer), replacement);
                variants.add(changed);
            }
        });
        return variants;
    }

    /** Visits the JSON pointer of every field of every object in {@code node}, arrays' elements included. */
    private static void eachField(JsonNode node, String at, Consumer<String> visit) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String pointer = at + "/" + name;
                visit.accept(pointer);
                eachField(node.get(name), pointer, visit);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            eachField(node.get(0), at + "/0", visit);
        }
    }

    private static ObjectNode parentOf(JsonNode root, String pointer) {
        return (ObjectNode) root.at(pointer.substring(0, pointer.lastIndexOf('/')));
    }

    private static String name(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1);
    }

    private static void collectConstants(JsonNode schema, Set<String> constants) {
        if (schema.has("const") && schema.get("const").isTextual()) {
            constants.add(schema.get("const").asText());
        }
        schema.forEach(child -> collectConstants(child, constants));
    }

    private static JsonNode schema(EventType type) {
        try (InputStream in = DiscriminatedOneOfTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    private static JsonNode example(EventType type, String name) {
        return ContractResources.json(ContractResources.classpathFolder(type.examplesFolder()).resolve(name));
    }

    private static JsonNode json(String text) {
        try {
            return EventJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
