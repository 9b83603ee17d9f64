package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** The agreement the engine promises with metafor: 1e-6 relative (absolute near zero). */
final class CloseTo {

    static final double RELATIVE = 1e-6;

    private CloseTo() {
    }

    static void assertClose(String what, double actual, JsonNode expected) {
        assertThat(expected).as(what + " is missing from the fixture").isNotNull();
        assertClose(what, actual, expected.asDouble());
    }

    static void assertClose(String what, double actual, double expected) {
        double tolerance = RELATIVE * Math.max(Math.abs(expected), 1e-8);
        assertThat(actual).as(what).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
    }
}
