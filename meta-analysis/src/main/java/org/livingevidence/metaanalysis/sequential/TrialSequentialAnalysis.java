package org.livingevidence.metaanalysis.sequential;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.sensitivity.CumulativeMetaAnalysis;
import org.livingevidence.metaanalysis.sensitivity.Refit;

/**
 * Trial sequential analysis of a living meta-analysis: each added study is a look; the cumulative z of the
 * random-effects model is compared with Lan-DeMets O'Brien-Fleming boundaries at the information fraction
 * reached (accrued inverse-variance information over the D²-adjusted required information). Works for any
 * measure on its analysis scale, hazard ratios included (information from events, about d/4 per study).
 *
 * <p>Status: firm evidence of an effect once a boundary is crossed; firm evidence against an effect of the
 * anticipated size when the required information is reached without a crossing; otherwise not yet conclusive.
 * Futility boundaries inside the required information (beta spending) are not computed.
 */
public final class TrialSequentialAnalysis {

    public enum Status { FIRM_EVIDENCE_OF_EFFECT, FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT, NOT_YET_CONCLUSIVE }

    /** One look: after {@code addedStudy} joined. */
    public record Look(String addedStudy, double informationFraction, double z, double boundary, boolean crossed) {
    }

    /**
     * @param requiredEvents the required information as events, for hazard ratio outcomes (4 x information)
     */
    public record Result(double requiredInformation, double requiredEvents, double accruedInformation, double diversity,
                         List<Look> looks, Status status) {

        public double informationFraction() {
            return accruedInformation / requiredInformation;
        }
    }

    private TrialSequentialAnalysis() {
    }

    public static Result run(List<StudyEffect> studiesInOrder, TsaSettings settings, Tau2Method tau2Method) {
        if (studiesInOrder.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed");
        }
        double level = 1 - settings.alpha();
        // Each look is the random-effects model after one more study; the last look is the whole analysis.
        List<CumulativeMetaAnalysis.Step> steps = CumulativeMetaAnalysis.run(studiesInOrder,
                new Refit(tau2Method, CiMethod.WALD, level));
        RandomEffectsResult random = steps.get(steps.size() - 1).result();
        double diversity = settings.diversity() != null ? settings.diversity()
                : RequiredInformation.diversity(FixedEffect.pool(studiesInOrder, level).pooled().standardError(),
                random.pooled().standardError());
        double required = RequiredInformation.information(settings.anticipatedEffect(), settings.alpha(), settings.power(), diversity);

        int k = studiesInOrder.size();
        double[] fractions = new double[k];
        double[] z = new double[k];
        double accrued = 0;
        for (int i = 0; i < k; i++) {
            accrued += 1 / studiesInOrder.get(i).variance();
            fractions[i] = accrued / required;
            z[i] = steps.get(i).result().pooled().zValue();
        }
        List<Double> boundaries = GroupSequentialBoundaries.obrienFleming(fractions, settings.alpha());
        List<Look> looks = new ArrayList<>(k);
        boolean crossed = false;
        for (int i = 0; i < k; i++) {
            boolean crossesHere = Math.abs(z[i]) >= boundaries.get(i);
            crossed |= crossesHere;
            looks.add(new Look(studiesInOrder.get(i).id(), fractions[i], z[i], boundaries.get(i), crossesHere));
        }
        Status status = crossed ? Status.FIRM_EVIDENCE_OF_EFFECT
                : accrued >= required ? Status.FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT : Status.NOT_YET_CONCLUSIVE;
        return new Result(required, RequiredInformation.hazardRatioEvents(required), accrued, diversity, looks, status);
    }
}
