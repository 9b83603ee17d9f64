package org.livingevidence.metaanalysis.sensitivity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/**
 * Subgroup analysis with a test for subgroup differences: a separate model (own tau²) per subgroup, then Cochran's
 * Q between the subgroup estimates weighted by their inverse variances, chi-square with G - 1 df. This is the
 * convention of the Cochrane Handbook and RevMan (metafor: a fixed-effect model over the subgroup estimates).
 */
public final class SubgroupAnalysis {

    public record Subgroup(String label, RandomEffectsResult result) {
    }

    /** The subgroups in order of first appearance, and the test of their difference (null with one subgroup). */
    public record Result(List<Subgroup> subgroups, Double qBetween, Integer df, Double pValue) {
    }

    private SubgroupAnalysis() {
    }

    /** {@code labels.get(i)} is the subgroup of {@code studies.get(i)}. */
    public static Result run(List<StudyEffect> studies, List<String> labels, Refit model) {
        if (studies.size() != labels.size()) {
            throw new IllegalArgumentException("every study needs a subgroup label");
        }
        Map<String, List<StudyEffect>> groups = new LinkedHashMap<>();
        for (int i = 0; i < studies.size(); i++) {
            groups.computeIfAbsent(labels.get(i), g -> new ArrayList<>()).add(studies.get(i));
        }
        List<Subgroup> subgroups = new ArrayList<>();
        groups.forEach((label, members) -> subgroups.add(new Subgroup(label, model.fit(members))));
        if (subgroups.size() < 2) {
            return new Result(subgroups, null, null, null);
        }
        double sw = 0;
        double swy = 0;
        for (Subgroup g : subgroups) {
            double w = 1 / (g.result().pooled().standardError() * g.result().pooled().standardError());
            sw += w;
            swy += w * g.result().pooled().estimate();
        }
        double mean = swy / sw;
        double q = 0;
        for (Subgroup g : subgroups) {
            double se = g.result().pooled().standardError();
            double d = g.result().pooled().estimate() - mean;
            q += d * d / (se * se);
        }
        int df = subgroups.size() - 1;
        return new Result(subgroups, q, df, ChiSquaredDistribution.of(df).survivalProbability(q));
    }
}
