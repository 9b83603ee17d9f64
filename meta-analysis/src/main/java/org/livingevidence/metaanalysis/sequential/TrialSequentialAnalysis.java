package org.livingevidence.metaanalysis.sequential;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.StandardNormal;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

/**
 * Trial sequential analysis of a living meta-analysis: each added study is a look; the cumulative z of the
 * random-effects model is compared with Lan-DeMets O'Brien-Fleming boundaries at the information fraction
 * reached (accrued inverse-variance information over the D²-adjusted required information). Works for any
 * measure on its analysis scale, hazard ratios included (information from events, about d/4 per study).
 *
 * <p>Before the required information, non-binding futility boundaries (O'Brien-Fleming-type beta spending) form
 * the inner wedge on the side of the anticipated effect. Their drift is that of the fixed-sample design over the
 * required information, z(1 - alpha/2) + z(power), because the required information is not inflated for the
 * sequential looks: the wedge shares the efficacy boundaries' information axis, and at the required information
 * the final analysis decides instead (where the two boundaries would not quite meet).
 *
 * <p>Status: firm evidence of an effect once an efficacy boundary is crossed (on either side); firm evidence against
 * an effect of the anticipated size when the latest look is on the null side of the futility boundary, or when the
 * required information is reached without a crossing; otherwise not yet conclusive. Futility does not bind, so a
 * later look that climbs out of the wedge is not conclusive again.
 */
public final class TrialSequentialAnalysis {

    public enum Status { FIRM_EVIDENCE_OF_EFFECT, FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT, NOT_YET_CONCLUSIVE }

    /**
     * One look: after {@code addedStudy} joined.
     *
     * @param boundary          the efficacy boundary for |z|
     * @param futilityBoundary  on the z axis, on the side of the anticipated effect: the look is futile when z lies on
     *                          the null side of it; null from the required information on
     */
    public record Look(String addedStudy, double informationFraction, double z, double boundary, boolean crossed,
                       Double futilityBoundary, boolean futile) {
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
        return run(studiesInOrder, settings, tau2Method, new LookCache());
    }

    /**
     * As {@link #run(List, TsaSettings, Tau2Method)}, reusing the looks {@code cache} holds from an earlier analysis
     * of the same studies (all but the new ones, when studies are added at the end).
     */
    public static Result run(List<StudyEffect> studiesInOrder, TsaSettings settings, Tau2Method tau2Method, LookCache cache) {
        if (studiesInOrder.isEmpty()) {
            throw new IllegalArgumentException("at least one study is needed");
        }
        double level = 1 - settings.alpha();
        // Each look is the random-effects model (Wald) after one more study; the last look is the whole analysis.
        List<RandomEffects.Wald> fits = cache.looks(studiesInOrder, tau2Method);
        RandomEffects.Wald random = fits.get(fits.size() - 1);
        double diversity = settings.diversity() != null ? settings.diversity()
                : RequiredInformation.diversity(FixedEffect.pool(studiesInOrder, level).pooled().standardError(),
                random.standardError());
        double required = RequiredInformation.information(settings.anticipatedEffect(), settings.alpha(), settings.power(), diversity);

        int k = studiesInOrder.size();
        double[] fractions = new double[k];
        double[] z = new double[k];
        double accrued = 0;
        for (int i = 0; i < k; i++) {
            accrued += 1 / studiesInOrder.get(i).variance();
            fractions[i] = accrued / required;
            z[i] = fits.get(i).z();
        }
        List<Double> boundaries = GroupSequentialBoundaries.obrienFleming(fractions, settings.alpha());
        double[] futility = futilityBoundaries(fractions, boundaries, settings);
        double side = Math.signum(settings.anticipatedEffect());
        List<Look> looks = new ArrayList<>(k);
        boolean crossed = false;
        for (int i = 0; i < k; i++) {
            boolean crossesHere = Math.abs(z[i]) >= boundaries.get(i);
            crossed |= crossesHere;
            boolean hasFutility = !Double.isNaN(futility[i]);
            boolean futile = hasFutility && !crossesHere && side * z[i] <= futility[i];
            looks.add(new Look(studiesInOrder.get(i).id(), fractions[i], z[i], boundaries.get(i), crossesHere,
                    hasFutility ? side * futility[i] : null, futile));
        }
        Status status = crossed ? Status.FIRM_EVIDENCE_OF_EFFECT
                : accrued >= required || looks.get(k - 1).futile() ? Status.FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT
                : Status.NOT_YET_CONCLUSIVE;
        return new Result(required, RequiredInformation.hazardRatioEvents(required), accrued, diversity, looks, status);
    }

    /** Futility boundaries for z oriented towards the anticipated effect. */
    private static double[] futilityBoundaries(double[] fractions, List<Double> efficacy, TsaSettings settings) {
        double[] upper = new double[fractions.length];
        double[] lower = new double[fractions.length];
        for (int i = 0; i < fractions.length; i++) {
            upper[i] = efficacy.get(i);
            lower[i] = -efficacy.get(i);
        }
        double drift = StandardNormal.quantile(1 - settings.alpha() / 2) + StandardNormal.quantile(settings.power());
        return GroupSequentialBoundaries.betaSpendingFutility(fractions, upper, lower, drift, 1 - settings.power());
    }
}
