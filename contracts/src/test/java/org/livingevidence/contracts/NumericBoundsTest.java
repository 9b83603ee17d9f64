package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.ItemsValidator202012;
import com.networknt.schema.PropertiesValidator;
import com.networknt.schema.RefValidator;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NumericBoundsTest {

    private static final JsonSchemaFactory LIBRARY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * Every value near every bound, and far from it, of every numeric kind, is accepted or refused as the library
     * alone accepts or refuses it, with the same messages.
     */
    @ParameterizedTest
    @EnumSource(NumericBounds.Bound.class)
    void aBoundAcceptsAndRefusesWhatTheLibraryAloneDoes(NumericBounds.Bound bound) {
        int accepted = 0;
        int refused = 0;
        for (String type : List.of("", "\"type\": \"number\", ", "\"type\": \"integer\", ", "\"type\": [\"integer\", \"null\"], ")) {
            for (String threshold : List.of("0", "1", "2", "-3", "0.5", "0.001", "1e-3", "0.1", "1.0", "-0.0", "9007199254740993",
                    "9.313225746154785E-10", "9.31322574615478515625E-10", "8589934593", "-9223372036854775808", "5")) {
                JsonNode schema = json("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", " + type
                        + "\"" + bound.keyword + "\": " + threshold + "}");
                JsonSchema library = LIBRARY.getSchema(schema, CONFIG);
                JsonSchema ours = EventSchemas.compile(schema);
                for (JsonNode value : valuesAround(new BigDecimal(threshold))) {
                    Object expected = outcome(library, value);
                    assertThat(outcome(ours, value)).as("%s %s against %s", bound.keyword, value, schema).isEqualTo(expected);
                    if (expected instanceof Set<?> messages && messages.isEmpty()) {
                        accepted++;
                    } else {
                        refused++;
                    }
                }
            }
        }
        assertThat(accepted).isPositive();
        assertThat(refused).isPositive();
    }

    /** The bounds of the contracts' own schemas take the shortcut, or the change would be for nothing. */
    @Test
    void theContractsBoundsAreCheckedThroughTheShortcut() {
        for (EventType type : List.of(EventType.OUTCOME_RECORD_REVISED, EventType.POOLED_ESTIMATE_COMPUTED)) {
            List<JsonValidator> shortcuts = new ArrayList<>();
            collect(EventSchemas.compile(schemaOf(type)), shortcuts, new HashSet<>());
            assertThat(shortcuts).as(type.name()).isNotEmpty();
        }
    }

    private static void collect(JsonSchema schema, List<JsonValidator> shortcuts, Set<JsonSchema> seen) {
        if (!seen.add(schema)) {
            return;
        }
        for (JsonValidator validator : schema.getValidators()) {
            if (validator instanceof NumericBounds.Shortcut) {
                shortcuts.add(validator);
            }
            if (validator instanceof PropertiesValidator properties) {
                properties.getSchemas().values().forEach(s -> collect(s, shortcuts, seen));
            } else if (validator instanceof RefValidator ref) {
                collect(ref.getSchemaRef().getSchema(), shortcuts, seen);
            } else if (validator instanceof ItemsValidator202012 items) {
                collect(items.getSchema(), shortcuts, seen);
            }
        }
    }

    private static JsonNode schemaOf(EventType type) {
        try (InputStream in = NumericBoundsTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aBoundThatIsADoubleExactlyIsCheckedThroughTheShortcut() {
        assertThat(EventSchemas.compile(json("{\"minimum\": 0}")).getValidators())
                .anyMatch(v -> v instanceof NumericBounds.Shortcut);
        assertThat(EventSchemas.compile(json("{\"minimum\": 0.1}")).getValidators())
                .noneMatch(v -> v instanceof NumericBounds.Shortcut);
    }

    /**
     * The messages, or the kind of exception the validation threw: the library throws for a NaN (which no payload
     * carries, JSON having none), and must go on doing so.
     */
    private static Object outcome(JsonSchema schema, JsonNode value) {
        try {
            return schema.validate(value);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static List<JsonNode> valuesAround(BigDecimal threshold) {
        double t = threshold.doubleValue();
        List<JsonNode> values = new ArrayList<>();
        for (double d : new double[] {t, Math.nextUp(t), Math.nextDown(t), t + 1e-9, t - 1e-9, t + 1, t - 1, 0.0, -0.0,
                Double.MIN_VALUE, -Double.MIN_VALUE, 1e300, -1e300, 0.1, 0.3, 2.0000000000000004}) {
            values.add(NODES.numberNode(d));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            values.add(NODES.numberNode(t + random.nextGaussian() * Math.pow(10, random.nextInt(-12, 3))));
        }
        values.add(NODES.numberNode((float) t));
        values.add(NODES.numberNode(Math.nextUp((float) t)));
        values.add(NODES.numberNode(0x1p33f));
        values.add(NODES.numberNode(5.5));
        values.add(NODES.numberNode(-1e19));
        values.add(NODES.numberNode(Double.NaN));
        values.add(NODES.numberNode(Double.POSITIVE_INFINITY));
        values.add(NODES.numberNode(Double.NEGATIVE_INFINITY));
        values.add(NODES.numberNode((short) 3));
        for (long l : new long[] {0, 1, 2, -3, (long) t, (long) t + 1, (long) t - 1, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1,
                Long.MAX_VALUE, Long.MIN_VALUE}) {
            values.add(NODES.numberNode(l));
            if (l == (int) l) {
                values.add(NODES.numberNode((int) l));
            }
        }
        values.add(NODES.numberNode(BigInteger.TWO.pow(70)));
        values.add(NODES.numberNode(threshold));
        values.add(NODES.numberNode(threshold.add(new BigDecimal("1e-30"))));
        values.add(NODES.numberNode(threshold.subtract(new BigDecimal("1e-30"))));
        values.add(NODES.textNode("1"));
        values.add(NODES.nullNode());
        return values;
    }

    private static JsonNode json(String text) {
        try {
            return EventJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
