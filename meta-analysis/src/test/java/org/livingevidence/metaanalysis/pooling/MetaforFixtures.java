package org.livingevidence.metaanalysis.pooling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Golden results written by metafor (src/test/r/generate-fixtures.R). */
final class MetaforFixtures {

    static final List<String> NAMES = List.of("bcg-log-rr", "bcg-log-rr-90", "normand1999-md", "seed-two-studies",
            "single-study", "identical-studies", "homogeneous-tau2-zero", "extreme-weights");

    private MetaforFixtures() {
    }

    static JsonNode load(String name) {
        try (InputStream in = MetaforFixtures.class.getResourceAsStream("/metafor/" + name + ".json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<StudyEffect> studies(JsonNode fixture) {
        List<StudyEffect> studies = new ArrayList<>();
        fixture.get("studies").forEach(s -> studies.add(new StudyEffect(s.get("id").asText(), s.get("yi").asDouble(),
                s.get("vi").asDouble())));
        return studies;
    }
}
