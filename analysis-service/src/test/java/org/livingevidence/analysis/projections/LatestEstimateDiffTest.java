package org.livingevidence.analysis.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.events.PooledEstimateComputed;

/** When a rebuild's recomputed estimate says the same as the latest published one: pure logic, on the contract's example. */
class LatestEstimateDiffTest {

    private static ObjectNode example() throws Exception {
        try (InputStream in = PooledEstimateComputed.class.getResourceAsStream(
                "/org/livingevidence/contracts/examples/pooled-estimate-computed/v1/two-studies-fixed.json")) {
            return (ObjectNode) EventJson.mapper().readTree(in);
        }
    }

    private static PooledEstimateComputed estimate(ObjectNode tree) throws Exception {
        return EventJson.mapper().treeToValue(tree, PooledEstimateComputed.class);
    }

    @Test
    void figuresWithinOneMillionthRelativeAreTheSameEstimateWhateverItsVersionTimeTriggersAndStudyOrder() throws Exception {
        ObjectNode published = example();
        ObjectNode again = published.deepCopy();
        again.put("estimateVersion", published.get("estimateVersion").asLong() + 1).put("computedAt", "2030-01-01T00:00:00Z");
        ObjectNode fixed = (ObjectNode) again.get("fixedEffect");
        fixed.put("estimate", fixed.get("estimate").asDouble() * (1 + 1e-9));
        ArrayNode studies = (ArrayNode) again.get("studies");
        again.set("studies", EventJson.mapper().createArrayNode().add(studies.get(1)).add(studies.get(0)));
        assertThat(LatestEstimateDiff.sameFigures(estimate(published), estimate(again))).isTrue();
    }

    @Test
    void aFigureMovedBeyondTheToleranceATitleOrAMissingStudyIsAnotherEstimate() throws Exception {
        ObjectNode published = example();

        ObjectNode moved = published.deepCopy();
        ObjectNode fixed = (ObjectNode) moved.get("fixedEffect");
        fixed.put("estimate", fixed.get("estimate").asDouble() * (1 + 1e-5));
        assertThat(LatestEstimateDiff.sameFigures(estimate(published), estimate(moved))).isFalse();

        ObjectNode renamed = published.deepCopy().put("questionTitle", "Another title");
        assertThat(LatestEstimateDiff.sameFigures(estimate(published), estimate(renamed))).isFalse();

        ObjectNode fewer = published.deepCopy();
        ((ArrayNode) fewer.get("studies")).remove(1);
        assertThat(LatestEstimateDiff.sameFigures(estimate(published), estimate(fewer))).isFalse();
    }
}
