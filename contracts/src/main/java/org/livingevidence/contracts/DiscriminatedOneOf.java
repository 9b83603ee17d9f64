package org.livingevidence.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The form in which {@link EventSchemas} validates a published schema: each {@code oneOf} whose branches are objects
 * told apart by a required constant property (a reported outcome's {@code form}) becomes "that property is one of
 * the constants, and the branch it names holds". The two accept exactly the same documents: the constants being
 * distinct, at most one branch can hold, so "exactly one" is "the named one". A validator checks one branch instead
 * of all eight, and a refused document is told what its own branch lacks instead of what every other branch lacks.
 *
 * <p>The published schema keeps its {@code oneOf} (code generators read it as a union). A {@code oneOf} that does not
 * fit the pattern is left as it is. So is every schema where the rewrite could mean something else than it does in
 * the contracts: one that uses {@code unevaluatedProperties} or {@code unevaluatedItems} (their outcome depends on
 * which branches were evaluated); one with a resource or anchor below its root ({@code $id}, {@code $schema},
 * {@code $anchor}, {@code $dynamicAnchor}: a reference would then resolve against another root than this class reads
 * it from); and one with a reference into a {@code oneOf}'s branches (it would point at nothing after the rewrite).
 * Branches are followed only through references of the form {@code #/...} without percent-encoding.
 */
final class DiscriminatedOneOf {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DiscriminatedOneOf() {
    }

    /** A copy of {@code schema} with every discriminated {@code oneOf} rewritten; {@code schema} is not changed. */
    static JsonNode rewrite(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        boolean nestedResource = false;
        for (JsonNode child : copy) {
            nestedResource |= uses(child, Set.of("$id", "$schema", "$anchor", "$dynamicAnchor"));
        }
        if (nestedResource || uses(copy, Set.of("unevaluatedProperties", "unevaluatedItems")) || refersIntoOneOf(copy)) {
            return copy;
        }
        rewriteWithin(copy, copy);
        return copy;
    }

    /** Keywords whose values are data, not schemas: a {@code oneOf} inside them is not a keyword. */
    private static final Set<String> DATA = Set.of("const", "enum", "default", "examples", "example");

    private static void rewriteWithin(JsonNode root, JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("oneOf") instanceof ArrayNode branches && (!object.has("allOf") || object.get("allOf").isArray())) {
                discriminator(root, branches).ifPresent(property -> replace(object, branches, property, root));
            }
            object.fields().forEachRemaining(field -> {
                if (!DATA.contains(field.getKey())) {
                    rewriteWithin(root, field.getValue());
                }
            });
        } else {
            node.forEach(child -> rewriteWithin(root, child));
        }
    }

    /**
     * The property that tells the branches apart: one every branch requires, as a text constant of its own, in a
     * branch that admits objects only. Empty when there is none.
     */
    private static Optional<String> discriminator(JsonNode root, ArrayNode branches) {
        if (branches.size() < 2) {
            return Optional.empty();
        }
        Set<String> candidates = null;
        for (JsonNode branch : branches) {
            JsonNode resolved = resolve(root, branch);
            if (resolved == null || !"object".equals(resolved.path("type").asText(null))) {
                return Optional.empty();
            }
            Set<String> constants = new TreeSet<>();
            resolved.path("required").forEach(r -> {
                if (resolved.path("properties").path(r.asText()).has("const")) {
                    constants.add(r.asText());
                }
            });
            if (candidates == null) {
                candidates = constants;
            } else {
                candidates.retainAll(constants);
            }
        }
        for (String candidate : candidates) {
            // Text only: numbers that JSON Schema holds equal (1 and 1.0) are distinct nodes here.
            Set<JsonNode> values = new HashSet<>();
            boolean distinct = true;
            for (JsonNode branch : branches) {
                JsonNode constant = resolve(root, branch).path("properties").path(candidate).get("const");
                distinct &= constant.isTextual() && values.add(constant);
            }
            if (distinct) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The branch itself, or what its local {@code $ref} points at; null for a reference outside the document. */
    private static JsonNode resolve(JsonNode root, JsonNode branch) {
        JsonNode ref = branch.get("$ref");
        if (ref == null) {
            return branch;
        }
        String pointer = ref.asText();
        if (branch.size() != 1 || !pointer.startsWith("#/") || pointer.contains("%")) {
            return null;
        }
        try {
            JsonNode target = root.at(pointer.substring(1));
            return target.isMissingNode() ? null : target;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean refersIntoOneOf(JsonNode node) {
        if (node.isObject() && node.path("$ref").asText("").contains("/oneOf/")) {
            return true;
        }
        for (JsonNode child : node) {
            if (refersIntoOneOf(child)) {
                return true;
            }
        }
        return false;
    }

    private static void replace(ObjectNode node, ArrayNode branches, String property, JsonNode root) {
        ArrayNode constants = NODES.arrayNode();
        List<ObjectNode> conditionals = new ArrayList<>();
        for (JsonNode branch : branches) {
            JsonNode constant = resolve(root, branch).path("properties").path(property).get("const");
            constants.add(constant);
            ObjectNode condition = NODES.objectNode();
            condition.putArray("required").add(property);
            condition.putObject("properties").putObject(property).set("const", constant);
            ObjectNode conditional = NODES.objectNode();
            conditional.set("if", condition);
            conditional.set("then", branch);
            conditionals.add(conditional);
        }
        ObjectNode named = NODES.objectNode();
        named.put("type", "object");
        named.putArray("required").add(property);
        named.putObject("properties").putObject(property).set("enum", constants);
        ArrayNode all = node.get("allOf") instanceof ArrayNode existing ? existing : node.putArray("allOf");
        all.add(named);
        conditionals.forEach(all::add);
        node.remove("oneOf");
    }

    private static boolean uses(JsonNode node, Set<String> keywords) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                if (keywords.contains(names.next())) {
                    return true;
                }
            }
        }
        for (JsonNode child : node) {
            if (uses(child, keywords)) {
                return true;
            }
        }
        return false;
    }
}
