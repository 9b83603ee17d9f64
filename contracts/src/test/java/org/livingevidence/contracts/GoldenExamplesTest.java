package org.livingevidence.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenExamplesTest {

    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) ->
            a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue()) : (a.equals(b) ? 0 : 1);

    static Stream<Arguments> examples() {
        return Arrays.stream(EventType.values())
                .flatMap(type -> ContractResources.examples(type).stream().map(file -> Arguments.of(type, file)));
    }

    @Test
    void everyEventTypeHasAtLeastOneExample() {
        for (EventType type : EventType.values()) {
            assertThat(ContractResources.examples(type)).as(type.name()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("examples")
    void exampleValidatesAgainstItsSchema(EventType type, Path file) {
        assertThat(EventSchemas.violations(type, ContractResources.json(file))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("examples")
    void exampleRoundTripsThroughItsRecordAndTheSerializedRecordValidates(EventType type, Path file) throws Exception {
        JsonNode example = ContractResources.json(file);
        Record payload = EventJson.mapper().treeToValue(example, type.payloadType());

        String serialized = EventSchemas.toValidatedJson(payload);

        JsonNode roundTripped = EventJson.mapper().readTree(serialized);
        // 36 and 36.0 are the same JSON number: compare numbers by value, everything else exactly.
        assertThat(roundTripped.equals(NUMBERS_BY_VALUE, example)).as("%s%nbecame%n%s", example, roundTripped).isTrue();
    }

    @Test
    void aPayloadMissingARequiredFieldIsRejectedNamingTheField() {
        Path file = ContractResources.examples(EventType.OUTCOME_RECORD_REVISED).get(0);
        ObjectNode broken = (ObjectNode) ContractResources.json(file);
        broken.remove("revision");

        assertThat(EventSchemas.violations(EventType.OUTCOME_RECORD_REVISED, broken))
                .anySatisfy(message -> assertThat(message).contains("revision"));
        assertThatThrownBy(() -> EventSchemas.parse(EventType.OUTCOME_RECORD_REVISED,
                broken.toString().getBytes(), type().payloadType()))
                .isInstanceOf(ContractViolation.class)
                .hasMessageContaining("revision");
    }

    /**
     * A number too large for a double reads as Infinity, which the schema's bounds let through (the validator takes
     * it as above any minimum): refused as not a finite number, naming the field, bounded or not.
     */
    @Test
    void aPayloadWithANumberOutOfRangeIsRejectedNamingTheField() {
        Path file = ContractResources.examples(EventType.OUTCOME_RECORD_REVISED).get(0);
        // -1e400 for a standard error is refused by its schema's minimum, as any negative one is.
        for (List<String> fieldAndNumber : List.of(List.of("/derived/standardError", "1e400"), List.of("/derived/estimate", "1e400"),
                List.of("/derived/estimate", "-1e400"), List.of("/reported/estimate", "1e400"))) {
            String field = fieldAndNumber.get(0);
            String number = fieldAndNumber.get(1);
            {
                String json = ContractResources.json(file).toString();
                ObjectNode payload = (ObjectNode) ContractResources.json(file);
                ObjectNode parent = (ObjectNode) payload.at(field.substring(0, field.lastIndexOf('/')));
                String name = field.substring(field.lastIndexOf('/') + 1);
                parent.put(name, 12345.5);
                String broken = payload.toString().replace("12345.5", number);
                assertThat(broken).isNotEqualTo(json).contains(number);

                assertThatThrownBy(() -> EventSchemas.parse(EventType.OUTCOME_RECORD_REVISED, broken.getBytes(),
                        type().payloadType()))
                        .as("%s = %s", field, number)
                        .isInstanceOf(ContractViolation.class)
                        .hasMessageContaining("finite")
                        .hasMessageContaining(name);
            }
        }
    }

    private static EventType type() {
        return EventType.OUTCOME_RECORD_REVISED;
    }
}
