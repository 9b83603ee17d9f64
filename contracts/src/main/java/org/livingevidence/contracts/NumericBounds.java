package org.livingevidence.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.Keyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.Vocabulary;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Set;

/**
 * {@code minimum}, {@code maximum}, {@code exclusiveMinimum} and {@code exclusiveMaximum} as networknt's validator
 * checks them, with a shortcut for the clear case. The library compares every number as a {@code BigDecimal} parsed
 * from its text (a double printed, then parsed again), which was two fifths of validating an estimate of 5,000 studies.
 * Where the bound is a double exactly (0, 1, 2, as the contracts' bounds are) and the value a finite double or an
 * integer a double holds exactly, and the two differ, comparing the doubles gives the library's answer: the value's
 * text rounds to the value, so it lies on the value's side of any other double. Every other case (a value equal to
 * its bound, a float, a big number, a bound in a schema of {@code "type": "integer"}, where the library compares
 * longs) and every refusal (for its message) is the library's own validator's.
 */
final class NumericBounds implements Keyword {

    /** The keywords this class checks, and what holding each means. */
    enum Bound {
        MINIMUM("minimum"), MAXIMUM("maximum"), EXCLUSIVE_MINIMUM("exclusiveMinimum"), EXCLUSIVE_MAXIMUM("exclusiveMaximum");

        final String keyword;

        Bound(String keyword) {
            this.keyword = keyword;
        }

        /** For a value other than the bound: whether it is on the allowed side. */
        boolean holds(double value, double bound) {
            return switch (this) {
                case MINIMUM, EXCLUSIVE_MINIMUM -> value > bound;
                case MAXIMUM, EXCLUSIVE_MAXIMUM -> value < bound;
            };
        }
    }

    private static final long EXACT_IN_A_DOUBLE = 1L << 53;

    private final Keyword library;
    private final Bound bound;

    private NumericBounds(Keyword library, Bound bound) {
        this.library = library;
        this.bound = bound;
    }

    /**
     * Draft 2020-12 as the library defines it, with these four keywords checked through this class: its validation
     * vocabulary, which is where a 2020-12 meta-schema takes them from, with each of the four wrapped.
     */
    static JsonMetaSchema draft202012() {
        Vocabulary library = Vocabulary.V202012_VALIDATION;
        Vocabulary validation = new Vocabulary(library.getIri(), library.getKeywords().stream()
                .map(NumericBounds::wrapped).toArray(Keyword[]::new));
        return JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .vocabularyFactory(iri -> iri.equals(validation.getIri()) ? validation : null).build();
    }

    private static Keyword wrapped(Keyword keyword) {
        for (Bound bound : Bound.values()) {
            if (bound.keyword.equals(keyword.getValue())) {
                return new NumericBounds(keyword, bound);
            }
        }
        return keyword;
    }

    @Override
    public String getValue() {
        return bound.keyword;
    }

    @Override
    public JsonValidator newValidator(SchemaLocation schemaLocation, JsonNodePath evaluationPath, JsonNode schemaNode,
                                      JsonSchema parentSchema, ValidationContext validationContext) throws Exception {
        JsonValidator exact = library.newValidator(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
        if (!schemaNode.isNumber() || !Double.isFinite(schemaNode.doubleValue())
                || new BigDecimal(schemaNode.asText()).compareTo(new BigDecimal(schemaNode.doubleValue())) != 0
                || admitsIntegersOnly(parentSchema.getSchemaNode())) {
            return exact;
        }
        return new Shortcut(exact, bound, schemaNode.doubleValue());
    }

    /**
     * Whether the schema says {@code "type": "integer"}: the library then compares a value truncated to a long with an
     * integer bound, which can differ from comparing the value itself (a type error refuses the value anyway, but the
     * messages would differ, and a value beyond a long's range is clamped).
     */
    private static boolean admitsIntegersOnly(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if ("integer".equals(t.asText())) {
                    return true;
                }
            }
            return false;
        }
        return "integer".equals(type.asText());
    }

    /** The library's validator, answered without it where the value is clearly within its bound. */
    record Shortcut(JsonValidator exact, Bound bound, double threshold) implements JsonValidator {

        @Override
        public Set<ValidationMessage> validate(ExecutionContext executionContext, JsonNode node, JsonNode rootNode,
                                               JsonNodePath instanceLocation) {
            if (clearlyHolds(node)) {
                return Collections.emptySet();
            }
            return exact.validate(executionContext, node, rootNode, instanceLocation);
        }

        private boolean clearlyHolds(JsonNode node) {
            // Not a float: its text is the shortest that rounds to it as a float, which can be on the other side of
            // a bound the float does not hold exactly.
            boolean exactDouble = node.isDouble() || node.isInt() || node.isShort()
                    || (node.isLong() && node.longValue() >= -EXACT_IN_A_DOUBLE && node.longValue() <= EXACT_IN_A_DOUBLE);
            if (!exactDouble) {
                return false;
            }
            double value = node.doubleValue();
            return Double.isFinite(value) && value != threshold && bound.holds(value, threshold);
        }

        @Override
        public void preloadJsonSchema() {
            exact.preloadJsonSchema();
        }

        @Override
        public SchemaLocation getSchemaLocation() {
            return exact.getSchemaLocation();
        }

        @Override
        public JsonNodePath getEvaluationPath() {
            return exact.getEvaluationPath();
        }

        @Override
        public String getKeyword() {
            return exact.getKeyword();
        }
    }
}
