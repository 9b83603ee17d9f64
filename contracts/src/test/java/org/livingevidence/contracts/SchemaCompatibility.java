package org.livingevidence.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Backward compatibility of two JSON Schemas, in the subset of JSON Schema the contracts use: the new schema
 * must accept every payload the old one accepted, and keep every documented property (consumers read them).
 * Returns the breaking changes, each with the path where it happened.
 */
final class SchemaCompatibility {

    private final JsonNode oldRoot;
    private final JsonNode newRoot;
    private final List<String> problems = new ArrayList<>();

    private SchemaCompatibility(JsonNode oldRoot, JsonNode newRoot) {
        this.oldRoot = oldRoot;
        this.newRoot = newRoot;
    }

    static List<String> breakingChanges(JsonNode oldSchema, JsonNode newSchema) {
        SchemaCompatibility check = new SchemaCompatibility(oldSchema, newSchema);
        check.compare("$", oldSchema, newSchema);
        return check.problems;
    }

    private void compare(String path, JsonNode oldNode, JsonNode newNode) {
        JsonNode o = resolve(oldRoot, oldNode);
        JsonNode n = resolve(newRoot, newNode);
        compareTypes(path, o, n);
        compareEnums(path, o, n);
        if (o.has("const") && !o.get("const").equals(n.get("const"))) {
            problems.add(path + ": const changed from " + o.get("const") + " to " + n.get("const"));
        }
        compareBounds(path, o, n);
        compareRequired(path, o, n);
        compareProperties(path, o, n);
        if (o.has("items") && n.has("items")) {
            compare(path + "[]", o.get("items"), n.get("items"));
        }
        compareBranches(path, o, n);
        if (n.has("format") && !n.get("format").equals(o.get("format"))) {
            problems.add(path + ": format " + n.get("format") + " added or changed");
        }
    }

    private void compareTypes(String path, JsonNode o, JsonNode n) {
        Set<String> oldTypes = types(o);
        Set<String> newTypes = types(n);
        if (newTypes.isEmpty()) {
            return;
        }
        for (String t : oldTypes) {
            boolean widened = t.equals("integer") && newTypes.contains("number");
            if (!newTypes.contains(t) && !widened) {
                problems.add(path + ": type " + t + " no longer accepted (now " + newTypes + ")");
            }
        }
        if (oldTypes.isEmpty()) {
            problems.add(path + ": type narrowed to " + newTypes);
        }
    }

    private void compareEnums(String path, JsonNode o, JsonNode n) {
        if (!n.has("enum")) {
            return;
        }
        if (!o.has("enum")) {
            problems.add(path + ": enum added");
            return;
        }
        Set<JsonNode> allowed = new HashSet<>();
        n.get("enum").forEach(allowed::add);
        o.get("enum").forEach(v -> {
            if (!allowed.contains(v)) {
                problems.add(path + ": enum value " + v + " removed");
            }
        });
    }

    private void compareBounds(String path, JsonNode o, JsonNode n) {
        for (String lower : List.of("minimum", "exclusiveMinimum", "minLength", "minItems")) {
            if (n.has(lower) && (!o.has(lower) || n.get(lower).asDouble() > o.get(lower).asDouble())) {
                problems.add(path + ": " + lower + " tightened to " + n.get(lower));
            }
        }
        for (String upper : List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems")) {
            if (n.has(upper) && (!o.has(upper) || n.get(upper).asDouble() < o.get(upper).asDouble())) {
                problems.add(path + ": " + upper + " tightened to " + n.get(upper));
            }
        }
        if (n.path("uniqueItems").asBoolean(false) && !o.path("uniqueItems").asBoolean(false)) {
            problems.add(path + ": uniqueItems added");
        }
    }

    private void compareRequired(String path, JsonNode o, JsonNode n) {
        Set<String> before = new HashSet<>();
        o.path("required").forEach(r -> before.add(r.asText()));
        n.path("required").forEach(r -> {
            if (!before.contains(r.asText())) {
                problems.add(path + ": property '" + r.asText() + "' became required");
            }
        });
    }

    private void compareProperties(String path, JsonNode o, JsonNode n) {
        if (o.path("additionalProperties").asBoolean(true) && !n.path("additionalProperties").asBoolean(true)) {
            problems.add(path + ": additionalProperties closed");
        }
        Iterator<String> names = o.path("properties").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode newProperty = n.path("properties").get(name);
            if (newProperty == null) {
                problems.add(path + "." + name + ": property removed");
            } else {
                compare(path + "." + name, o.get("properties").get(name), newProperty);
            }
        }
    }

    /** Every old oneOf/anyOf branch must be accepted by some new branch. */
    private void compareBranches(String path, JsonNode o, JsonNode n) {
        for (String keyword : List.of("oneOf", "anyOf")) {
            if (!o.has(keyword)) {
                continue;
            }
            int index = 0;
            for (JsonNode oldBranch : o.get(keyword)) {
                String branchPath = path + "." + keyword + "[" + index++ + "]";
                List<String> closest = null;
                for (JsonNode newBranch : n.path(keyword)) {
                    List<String> branchProblems = breakingChanges(oldRoot, newRoot, oldBranch, newBranch);
                    if (closest == null || branchProblems.size() < closest.size()) {
                        closest = branchProblems;
                    }
                }
                if (closest == null) {
                    problems.add(branchPath + ": " + keyword + " removed");
                } else if (!closest.isEmpty()) {
                    closest.forEach(p -> problems.add(branchPath + p.substring(1)));
                }
            }
        }
    }

    private static List<String> breakingChanges(JsonNode oldRoot, JsonNode newRoot, JsonNode oldNode, JsonNode newNode) {
        SchemaCompatibility check = new SchemaCompatibility(oldRoot, newRoot);
        check.compare("$", oldNode, newNode);
        return check.problems;
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> result = new HashSet<>();
        JsonNode type = schema.get("type");
        if (type == null) {
            return result;
        }
        if (type.getNodeType() == JsonNodeType.ARRAY) {
            type.forEach(t -> result.add(t.asText()));
        } else {
            result.add(type.asText());
        }
        return result;
    }

    /** Follows local references ({@code #/$defs/...}); the contracts use no others. */
    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local $ref is supported: " + ref);
            }
            current = root.at(ref.substring(1));
        }
        return current;
    }
}
