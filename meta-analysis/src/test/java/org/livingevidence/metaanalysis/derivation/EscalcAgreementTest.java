package org.livingevidence.metaanalysis.derivation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Derivations agree with metafor's escalc (src/test/r/generate-derivation-fixtures.R) to 1e-6 relative. */
class EscalcAgreementTest {

    static JsonNode fixtures() throws Exception {
        try (InputStream in = EscalcAgreementTest.class.getResourceAsStream("/metafor/derivations.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static List<JsonNode> cases() throws Exception {
        List<JsonNode> cases = new ArrayList<>();
        fixtures().get("cases").forEach(cases::add);
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesEscalc(JsonNode fixture) {
        JsonNode in = fixture.get("inputs");
        String measure = fixture.get("measure").asText();
        DerivedEffect effect = switch (fixture.get("kind").asText()) {
            case "twoByTwo" -> TwoByTwoTable.derive(TwoByTwoTable.Measure.valueOf(measure), in.get("eventsIntervention").asDouble(),
                    in.get("totalIntervention").asDouble(), in.get("eventsComparator").asDouble(), in.get("totalComparator").asDouble());
            case "proportion" -> SingleArmProportion.derive(measure.equals("PLO") ? SingleArmProportion.Transform.LOGIT
                    : SingleArmProportion.Transform.FREEMAN_TUKEY, in.get("events").asDouble(), in.get("total").asDouble());
            case "means" -> MeansAndStandardDeviations.derive(MeansAndStandardDeviations.Measure.valueOf(measure),
                    in.get("meanIntervention").asDouble(), in.get("sdIntervention").asDouble(), in.get("nIntervention").asDouble(),
                    in.get("meanComparator").asDouble(), in.get("sdComparator").asDouble(), in.get("nComparator").asDouble());
            default -> throw new IllegalArgumentException(fixture.toString());
        };
        assertRelative("yi", effect.estimate(), fixture.get("yi").asDouble());
        assertRelative("vi", effect.variance(), fixture.get("vi").asDouble());
    }

    @Test
    void freemanTukeyBackTransformationMatchesTransfIpft() throws Exception {
        for (JsonNode c : fixtures().get("ipft")) {
            assertRelative("ipft " + c, SingleArmProportion.inverseFreemanTukey(c.get("value").asDouble(), c.get("n").asDouble()),
                    c.get("proportion").asDouble());
        }
    }

    @Test
    void freemanTukeyRoundTripsEveryCount() {
        for (int x = 0; x <= 47; x++) {
            DerivedEffect effect = SingleArmProportion.derive(SingleArmProportion.Transform.FREEMAN_TUKEY, x, 47);
            assertThat(SingleArmProportion.inverseFreemanTukey(effect.estimate(), 47)).as("x = " + x)
                    .isCloseTo(x / 47.0, Offset.offset(0.02));
        }
    }

    private static void assertRelative(String what, double actual, double expected) {
        assertThat(actual).as(what).isCloseTo(expected, Offset.offset(1e-6 * Math.max(Math.abs(expected), 1e-8)));
    }
}
