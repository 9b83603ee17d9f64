package org.livingevidence.analysis.projections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        return unpublishedChanges(projection, false);
    }

    /**
     * The same, and when {@code replayed} (every event of the question has been read: the end of a rebuild) also the
     * studies the latest estimate pools that the projection does not hold at all (their events no longer on the
     * topics): retracted, as the next estimate will not pool them. While a rebuild replays, such studies are records
     * not yet read, not changes.
     */
    static List<Trigger> unpublishedChanges(QuestionProjection projection, boolean replayed) {
        PooledEstimateComputed latest = projection.latestEstimate();
        if (latest == null && projection.records().isEmpty()) {
            return List.of();
        }
        Map<String, PooledEstimateComputed.StudyContribution> pooled = new LinkedHashMap<>();
        if (latest != null && latest.studies() != null) {
            latest.studies().forEach(s -> pooled.put(s.recordId(), s));
        }
        List<Trigger> changes = new ArrayList<>();
        for (RecordState r : projection.records()) {
            PooledEstimateComputed.StudyContribution study = pooled.remove(r.recordId());
            Trigger.Change change = r.active()
                    ? (study == null ? Trigger.Change.ADDED : study.revision() != r.revision() ? Trigger.Change.REVISED : null)
                    : (study != null ? Trigger.Change.RETRACTED : null);
            if (change != null) {
                changes.add(new Trigger(Trigger.Kind.OUTCOME_RECORD, r.recordId(), r.revision(), r.studyLabel(), change));
            }
        }
        if (replayed) {
            pooled.values().forEach(s -> changes.add(new Trigger(Trigger.Kind.OUTCOME_RECORD, s.recordId(), s.revision(),
                    s.studyLabel(), Trigger.Change.RETRACTED)));
        }
        return changes;
    }

    /** Whether the question's title or tags are not those its latest estimate was published with. */
    static boolean questionDiffers(QuestionProjection projection) {
        PooledEstimateComputed latest = projection.latestEstimate();
        return latest == null || !Objects.equals(projection.question().title(), latest.questionTitle())
                || !Objects.equals(orEmpty(projection.question().tags()), orEmpty(latest.questionTags()));
    }

    private static List<String> orEmpty(List<String> tags) {
        return tags == null ? List.of() : tags;
    }

    /** Whether two estimates say the same, apart from their version, time and triggers (studies compared by record). */
    static boolean sameFigures(PooledEstimateComputed a, PooledEstimateComputed b) {
        return comparable(a).equals(WITHIN_TOLERANCE, comparable(b));
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

    /** Jackson walks both trees (same fields, same lengths); numbers are compared within the tolerance. */
    private static final Comparator<JsonNode> WITHIN_TOLERANCE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x == y || Math.abs(x - y) <= Math.max(ABSOLUTE, RELATIVE * Math.max(Math.abs(x), Math.abs(y))) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };
}
