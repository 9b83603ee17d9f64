package org.livingevidence.analysis.projections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.Trigger;

/** How a question's projection differs from its latest published estimate: what a rebuild folded in without publishing. */
final class LatestEstimateDiff {

    /** Figures this close are the same estimate computed again (a rebuild may add records up in another order). */
    private static final double RELATIVE = 1e-6;
    private static final double ABSOLUTE = 1e-12;
    /** What differs between two computations of the same estimate by construction, not by content. */
    private static final List<String> VOLATILE = List.of("estimateVersion", "computedAt", "trigger", "triggers");

    private LatestEstimateDiff() {
    }

    /**
     * The record changes the latest estimate does not reflect, in the projection's record order: records it does not
     * pool (added), pools at another revision (revised), or pools though they are now retracted.
     */
    static List<Trigger> unpublishedChanges(QuestionProjection projection) {
        Map<String, Long> pooled = new HashMap<>();
        PooledEstimateComputed latest = projection.latestEstimate();
        if (latest != null && latest.studies() != null) {
            latest.studies().forEach(s -> pooled.put(s.recordId(), s.revision()));
        }
        List<Trigger> changes = new ArrayList<>();
        for (RecordState r : projection.records()) {
            Long revision = pooled.get(r.recordId());
            Trigger.Change change = r.active()
                    ? (revision == null ? Trigger.Change.ADDED : revision != r.revision() ? Trigger.Change.REVISED : null)
                    : (revision != null ? Trigger.Change.RETRACTED : null);
            if (change != null) {
                changes.add(new Trigger(Trigger.Kind.OUTCOME_RECORD, r.recordId(), r.revision(), r.studyLabel(), change));
            }
        }
        return changes;
    }

    /** Whether two estimates say the same, apart from their version, time and triggers (studies compared by record). */
    static boolean sameFigures(PooledEstimateComputed a, PooledEstimateComputed b) {
        return same(comparable(a), comparable(b));
    }

    private static JsonNode comparable(PooledEstimateComputed estimate) {
        ObjectNode tree = EventJson.mapper().valueToTree(estimate);
        tree.remove(VOLATILE);
        JsonNode studies = tree.get("studies");
        if (studies instanceof ArrayNode array) {
            List<JsonNode> sorted = new ArrayList<>();
            array.forEach(sorted::add);
            sorted.sort(Comparator.comparing(s -> s.path("recordId").asText()));
            tree.set("studies", EventJson.mapper().createArrayNode().addAll(sorted));
        }
        return tree;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x == y || Math.abs(x - y) <= Math.max(ABSOLUTE, RELATIVE * Math.max(Math.abs(x), Math.abs(y)));
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = a.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode other = b.get(field.getKey());
                if (other == null || !same(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
