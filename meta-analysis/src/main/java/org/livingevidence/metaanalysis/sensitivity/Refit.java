package org.livingevidence.metaanalysis.sensitivity;

import java.util.List;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

/** The model a sensitivity analysis refits on subsets of the studies. */
public record Refit(Tau2Method tau2Method, CiMethod ciMethod, double level) {

    public RandomEffectsResult fit(List<StudyEffect> studies) {
        return RandomEffects.fit(studies, tau2Method, ciMethod, level);
    }
}
