package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agreement the engine promises with metafor: 1e-6 relative. Quantities whose true value is 0 (tau² on the
 * boundary) are compared absolutely to 1e-10: both programs stop iterating within about that distance of 0.
 */
final class CloseTo {

    static final double RELATIVE = 1e-6;
    static final double ABSOLUTE_NEAR_ZERO = 1e-10;

    private CloseTo() {
    }

    static void assertClose(String what, double actual, JsonNode expected) {
        assertThat(expected).as(what + " is missing from the fixture").isNotNull();
        assertClose(what, actual, expected.asDouble());
    }

    static void assertClose(String what, double actual, double expected) {
        double tolerance = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE_NEAR_ZERO);
        assertThat(actual).as(what).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
    }
}
