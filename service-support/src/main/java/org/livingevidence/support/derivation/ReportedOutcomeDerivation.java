package org.livingevidence.support.derivation;

import java.util.List;
import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.metaanalysis.derivation.EstimateWithStandardError;
import org.livingevidence.metaanalysis.derivation.InvalidReportedFigures;
import org.livingevidence.metaanalysis.derivation.MeansAndStandardDeviations;
import org.livingevidence.metaanalysis.derivation.MedianSurvival;
import org.livingevidence.metaanalysis.derivation.RatioWithConfidenceInterval;
import org.livingevidence.metaanalysis.derivation.RatioWithPValue;
import org.livingevidence.metaanalysis.derivation.ReportedPValue;
import org.livingevidence.metaanalysis.derivation.SingleArmProportion;
import org.livingevidence.metaanalysis.derivation.SurvivalAtTimepoint;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.support.problems.InputProblem;

/**
 * The one mapping from a reported form (the contract's {@link ReportedOutcome}) to the engine's derivations.
 * study-service runs it at submission, so a curator learns at once that a CI does not contain its estimate;
 * analysis-service runs it for previews of figures supplied in a request.
 */
public final class ReportedOutcomeDerivation {

    private static final List<EffectMeasure> RATIOS = List.of(EffectMeasure.HR, EffectMeasure.RR, EffectMeasure.OR);

    private ReportedOutcomeDerivation() {
    }

    /** Derives the effect, or fails with a 422 naming {@code reported.<field>}. */
    public static DerivedEffect derive(ReportedOutcome reported) {
        return derive(reported, "reported");
    }

    /** Derives the effect, or fails with a 422 naming {@code <path>.<field>}. */
    public static DerivedEffect derive(ReportedOutcome reported, String path) {
        try {
            org.livingevidence.metaanalysis.derivation.DerivedEffect effect = engine(reported);
            return new DerivedEffect(reported.measure(), reported.measure().scale(), effect.estimate(),
                    effect.standardError(), effect.method(), effect.assumptions(), effect.approximate(), effect.warnings(),
                    effect.standardErrorIsUpperBound());
        } catch (InvalidReportedFigures e) {
            throw InputProblem.invalid(path + "." + e.field(), e.reason());
        }
    }

    private static org.livingevidence.metaanalysis.derivation.DerivedEffect engine(ReportedOutcome reported) {
        if (reported instanceof ReportedOutcome.RatioWithCi r) {
            requireMeasure(r.measure(), RATIOS);
            return RatioWithConfidenceInterval.derive(r.estimate(), r.lower(), r.upper(), r.ciLevel());
        }
        if (reported instanceof ReportedOutcome.RatioWithP r) {
            requireMeasure(r.measure(), RATIOS);
            return RatioWithPValue.derive(r.estimate(), p(r.pValue(), r.pValueRelation(), r.sided()));
        }
        if (reported instanceof ReportedOutcome.MedianSurvival m) {
            requireMeasure(m.measure(), List.of(EffectMeasure.HR));
            return MedianSurvival.derive(m.medianIntervention(), m.medianComparator(),
                    m.pValue() == null ? null : p(m.pValue(), m.pValueRelation(), m.sided()),
                    m.eventsIntervention(), m.eventsComparator());
        }
        if (reported instanceof ReportedOutcome.SurvivalAtTimepoint s) {
            requireMeasure(s.measure(), List.of(EffectMeasure.HR));
            if (!(s.timepointMonths() > 0)) {
                throw new InvalidReportedFigures("timepointMonths", "must be greater than 0, was " + s.timepointMonths());
            }
            return SurvivalAtTimepoint.derive(s.survivalIntervention(), s.survivalComparator(),
                    s.pValue() == null ? null : p(s.pValue(), s.pValueRelation(), s.sided()),
                    s.eventsIntervention(), s.eventsComparator());
        }
        if (reported instanceof ReportedOutcome.EventsAndTotals t) {
            requireMeasure(t.measure(), List.of(EffectMeasure.RR, EffectMeasure.OR, EffectMeasure.RD));
            return TwoByTwoTable.derive(TwoByTwoTable.Measure.valueOf(t.measure().name()), t.eventsIntervention(),
                    t.totalIntervention(), t.eventsComparator(), t.totalComparator());
        }
        if (reported instanceof ReportedOutcome.MeansAndSds m) {
            requireMeasure(m.measure(), List.of(EffectMeasure.MD, EffectMeasure.SMD));
            return MeansAndStandardDeviations.derive(MeansAndStandardDeviations.Measure.valueOf(m.measure().name()),
                    m.meanIntervention(), m.sdIntervention(), m.nIntervention(), m.meanComparator(), m.sdComparator(),
                    m.nComparator());
        }
        if (reported instanceof ReportedOutcome.SingleArmProportion p) {
            requireMeasure(p.measure(), List.of(EffectMeasure.PLO, EffectMeasure.PFT));
            return SingleArmProportion.derive(p.measure() == EffectMeasure.PLO ? SingleArmProportion.Transform.LOGIT
                    : SingleArmProportion.Transform.FREEMAN_TUKEY, p.events(), p.total());
        }
        if (reported instanceof ReportedOutcome.EstimateWithSe e) {
            requireMeasure(e.measure(), List.of(EffectMeasure.HR, EffectMeasure.RR, EffectMeasure.OR, EffectMeasure.RD,
                    EffectMeasure.MD, EffectMeasure.SMD));
            return EstimateWithStandardError.derive(e.measure().scale() == EffectMeasure.Scale.LOG, e.estimate(), e.standardError());
        }
        throw new IllegalStateException("no derivation for " + reported.getClass().getSimpleName());
    }

    private static ReportedPValue p(double value, ReportedOutcome.PValueRelation relation, ReportedOutcome.Sidedness sided) {
        return new ReportedPValue(value,
                relation == ReportedOutcome.PValueRelation.LESS_THAN ? ReportedPValue.Relation.LESS_THAN : ReportedPValue.Relation.EQUAL,
                sided == ReportedOutcome.Sidedness.ONE_SIDED ? ReportedPValue.Sidedness.ONE_SIDED : ReportedPValue.Sidedness.TWO_SIDED,
                "pValue");
    }

    private static void requireMeasure(EffectMeasure measure, List<EffectMeasure> allowed) {
        if (!allowed.contains(measure)) {
            throw new InvalidReportedFigures("measure", "this form reports one of " + allowed + ", not " + measure);
        }
    }
}
