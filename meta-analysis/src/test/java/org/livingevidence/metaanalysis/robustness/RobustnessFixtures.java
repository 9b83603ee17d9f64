package org.livingevidence.metaanalysis.robustness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The cases of a golden file written with metafor by a script in src/test/r/. */
final class RobustnessFixtures {

    private RobustnessFixtures() {
    }

    static Stream<JsonNode> cases(String name) {
        try (InputStream in = RobustnessFixtures.class.getResourceAsStream("/metafor/" + name + ".json")) {
            List<JsonNode> cases = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(cases::add);
            return cases.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
