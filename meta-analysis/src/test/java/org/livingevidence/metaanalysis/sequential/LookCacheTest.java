package org.livingevidence.metaanalysis.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.sensitivity.CumulativeMetaAnalysis;
import org.livingevidence.metaanalysis.sensitivity.Refit;

/** Reused looks are exactly the looks a fresh analysis computes, whatever changed between two analyses. */
class LookCacheTest {

    private static List<StudyEffect> studies(int k, double shift) {
        List<StudyEffect> studies = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
            studies.add(new StudyEffect("s" + i, shift - 0.3 + 0.4 * Math.sin(i), 0.02 + 0.1 * (i % 7) / 7.0));
        }
        return studies;
    }

    private static void assertSameAsFresh(List<RandomEffects.Wald> looks, List<StudyEffect> inOrder, Tau2Method method) {
        List<CumulativeMetaAnalysis.Step> fresh = CumulativeMetaAnalysis.run(inOrder, new Refit(method, CiMethod.WALD, 0.95));
        assertThat(looks).hasSize(fresh.size());
        for (int i = 0; i < looks.size(); i++) {
            assertThat(looks.get(i).z()).as("look " + i).isEqualTo(fresh.get(i).result().pooled().zValue());
        }
    }

    @Test
    void studiesAddedAtTheEndKeepEveryEarlierLookAndMatchAFreshAnalysis() {
        LookCache cache = new LookCache();
        List<StudyEffect> all = studies(30, 0);
        cache.looks(all.subList(0, 20), Tau2Method.REML);
        List<RandomEffects.Wald> looks = cache.looks(all, Tau2Method.REML);
        assertThat(cache.size()).isEqualTo(30);
        assertSameAsFresh(looks, all, Tau2Method.REML);
    }

    @Test
    void aStudyInsertedOrRevisedEarlierRefitsFromThere() {
        LookCache cache = new LookCache();
        List<StudyEffect> all = new ArrayList<>(studies(25, 0));
        cache.looks(all, Tau2Method.DL);
        all.add(5, new StudyEffect("inserted", -0.9, 0.05));
        assertSameAsFresh(cache.looks(all, Tau2Method.DL), all, Tau2Method.DL);
        all.set(2, new StudyEffect("s3", 0.4, 0.03));
        assertSameAsFresh(cache.looks(all, Tau2Method.DL), all, Tau2Method.DL);
        all.remove(10);
        assertSameAsFresh(cache.looks(all, Tau2Method.DL), all, Tau2Method.DL);
    }

    @Test
    void anotherEstimatorRefitsEveryLook() {
        LookCache cache = new LookCache();
        List<StudyEffect> all = studies(15, 0.1);
        cache.looks(all, Tau2Method.DL);
        assertSameAsFresh(cache.looks(all, Tau2Method.PM), all, Tau2Method.PM);
    }
}
