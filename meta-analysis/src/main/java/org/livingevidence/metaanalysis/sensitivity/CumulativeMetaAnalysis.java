package org.livingevidence.metaanalysis.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/**
 * The analysis as it would have stood after each study, adding them in the order given (publication order for a
 * living review), as metafor's {@code cumul}.
 */
public final class CumulativeMetaAnalysis {

    /** The result once {@code added} had joined the studies before it. */
    public record Step(String added, RandomEffectsResult result) {
    }

    private CumulativeMetaAnalysis() {
    }

    public static List<Step> run(List<StudyEffect> studiesInOrder, Refit model) {
        List<Step> steps = new ArrayList<>(studiesInOrder.size());
        for (int i = 1; i <= studiesInOrder.size(); i++) {
            steps.add(new Step(studiesInOrder.get(i - 1).id(), model.fit(studiesInOrder.subList(0, i))));
        }
        return steps;
    }
}
