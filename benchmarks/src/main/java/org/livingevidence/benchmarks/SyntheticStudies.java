package org.livingevidence.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/**
 * Deterministic studies that metafor-timing.R builds identically: yi = -0.3 + 0.4 sin(i), vi = 0.02 + 0.1 (i mod 7) / 7,
 * for i = 1..k. Heterogeneous enough that REML iterates and the Q-profile bounds are both positive.
 */
final class SyntheticStudies {

    private SyntheticStudies() {
    }

    static List<StudyEffect> of(int k) {
        List<StudyEffect> studies = new ArrayList<>(k);
        for (int i = 1; i <= k; i++) {
            studies.add(new StudyEffect("s" + i, -0.3 + 0.4 * Math.sin(i), 0.02 + 0.1 * (i % 7) / 7.0));
        }
        return studies;
    }
}
