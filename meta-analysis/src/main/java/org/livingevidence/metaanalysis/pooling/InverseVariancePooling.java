package org.livingevidence.metaanalysis.pooling;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed effect and the DerSimonian-Laird random-effects model side by side, with Wald-type intervals, as
 * metafor's {@code rma(method = "FE")} and {@code rma(method = "DL")}.
 */
public final class InverseVariancePooling {

    private InverseVariancePooling() {
    }

    public static MetaAnalysisResult pool(List<StudyEffect> studies, double ciLevel) {
        FixedEffect.Result fixed = FixedEffect.pool(studies, ciLevel);
        RandomEffectsResult random = RandomEffects.fit(studies, Tau2Method.DL, CiMethod.WALD, ciLevel);
        List<MetaAnalysisResult.StudyWeight> weights = new ArrayList<>(studies.size());
        for (int i = 0; i < studies.size(); i++) {
            weights.add(new MetaAnalysisResult.StudyWeight(studies.get(i).id(), fixed.weightsPercent().get(i),
                    random.weightsPercent().get(i)));
        }
        return new MetaAnalysisResult(studies.size(), fixed.pooled(), random.pooled(), random.heterogeneity(), weights);
    }
}
