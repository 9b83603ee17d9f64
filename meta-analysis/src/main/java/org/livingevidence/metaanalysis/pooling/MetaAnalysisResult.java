package org.livingevidence.metaanalysis.pooling;

import java.util.List;

/**
 * Fixed-effect and random-effects results for the same studies, with each study's weights in percent.
 */
public record MetaAnalysisResult(int k, PooledEstimate fixedEffect, PooledEstimate randomEffects,
                                 Heterogeneity heterogeneity, List<StudyWeight> weights) {

    public record StudyWeight(String id, double fixedPercent, double randomPercent) {
    }
}
