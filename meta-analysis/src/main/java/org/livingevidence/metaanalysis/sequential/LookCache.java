package org.livingevidence.metaanalysis.sequential;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

/**
 * The cumulative z of each look of a sequential analysis, kept between analyses of the same question. A look depends
 * only on the studies up to it, so when studies are added at the end (the usual living case) every earlier look is
 * reused and only the new ones are fitted; a study inserted, revised or removed earlier refits from there on. One per
 * question; calls are serialised.
 */
public final class LookCache {

    private final List<StudyEffect> studies = new ArrayList<>();
    private final List<RandomEffects.Wald> looks = new ArrayList<>();
    private Tau2Method method;

    /** The Wald random-effects fit after each study, in order; fits only what differs from the last call. */
    public synchronized List<RandomEffects.Wald> looks(List<StudyEffect> studiesInOrder, Tau2Method tau2Method) {
        int same = 0;
        if (tau2Method == method) {
            int limit = Math.min(studies.size(), studiesInOrder.size());
            while (same < limit && sameStudy(studies.get(same), studiesInOrder.get(same))) {
                same++;
            }
        }
        method = tau2Method;
        studies.subList(same, studies.size()).clear();
        looks.subList(same, looks.size()).clear();
        for (int i = same; i < studiesInOrder.size(); i++) {
            studies.add(studiesInOrder.get(i));
            looks.add(RandomEffects.wald(studiesInOrder.subList(0, i + 1), tau2Method));
        }
        return List.copyOf(looks);
    }

    /** The studies whose looks are held. */
    int size() {
        return studies.size();
    }

    private static boolean sameStudy(StudyEffect a, StudyEffect b) {
        return a.id().equals(b.id()) && a.estimate() == b.estimate() && a.variance() == b.variance();
    }
}
