package org.livingevidence.analysis.pooling;

import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.StudyDesign;
import org.livingevidence.metaanalysis.conclusions.Certainty;
import org.livingevidence.metaanalysis.conclusions.Direction;
import org.livingevidence.metaanalysis.conclusions.MidStatus;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.sequential.TrialSequentialAnalysis;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;

/**
 * The one place where analysis-service translates between the wire format (contract records) and the engine's own
 * types, so neither leaks into the other.
 */
public final class EngineMapping {

    private EngineMapping() {
    }

    public static Tau2Method tau2Method(AnalysisSettings.Tau2Estimator estimator) {
        return Tau2Method.valueOf(estimator.name());
    }

    public static CiMethod ciMethod(AnalysisSettings.CiMethod method) {
        return CiMethod.valueOf(method.name());
    }

    public static EvidenceSynthesis.Design design(StudyDesign design) {
        if (design == null) {
            return EvidenceSynthesis.Design.UNKNOWN;
        }
        return design == StudyDesign.RANDOMISED_TRIAL ? EvidenceSynthesis.Design.RANDOMISED : EvidenceSynthesis.Design.OBSERVATIONAL;
    }

    /** The frame of a measure: a single-arm proportion is judged against {@code referenceProportion}. */
    public static QuestionFrame frame(EffectMeasure measure, BenefitDirection benefitDirection, AnalysisSettings.Model model,
                                      double alpha, Double minimalImportantDifference, Double referenceProportion) {
        boolean lowerIsBenefit = benefitDirection != BenefitDirection.HIGHER;
        boolean random = model != AnalysisSettings.Model.FIXED;
        if (!measure.comparative()) {
            return QuestionFrame.singleArmProportion(lowerIsBenefit, random, alpha, minimalImportantDifference, referenceProportion);
        }
        return QuestionFrame.comparative(measure.name(), measure.scale() == EffectMeasure.Scale.LOG, lowerIsBenefit, random,
                alpha, minimalImportantDifference);
    }

    public static Conclusion toContract(org.livingevidence.metaanalysis.conclusions.Conclusion c) {
        return new Conclusion(Conclusion.Direction.valueOf(c.direction().name()), c.significant(),
                c.randomEffects() ? AnalysisSettings.Model.RANDOM : AnalysisSettings.Model.FIXED, c.alpha(), c.k(), c.estimate(),
                c.ciLower(), c.ciUpper(), c.pValue(), c.statement(), Conclusion.MidStatus.valueOf(c.mid().name()),
                c.sequential() == null ? null : Conclusion.SequentialStatus.valueOf(c.sequential().name()),
                c.certainty() == null ? null : new Conclusion.Certainty(
                        Conclusion.Certainty.Level.valueOf(c.certainty().level().name()), c.certainty().reasons()));
    }

    /** The engine's view of a published conclusion; events from before MID existed read as NOT_SET. */
    public static org.livingevidence.metaanalysis.conclusions.Conclusion toEngine(Conclusion c) {
        return new org.livingevidence.metaanalysis.conclusions.Conclusion(Direction.valueOf(c.direction().name()), c.significant(),
                c.model() == AnalysisSettings.Model.RANDOM, c.alpha(), c.k(), c.estimate(), c.ciLower(), c.ciUpper(), c.pValue(),
                c.statement(), c.mid() == null ? MidStatus.NOT_SET : MidStatus.valueOf(c.mid().name()),
                c.sequential() == null ? null : TrialSequentialAnalysis.Status.valueOf(c.sequential().name()),
                c.certainty() == null ? null : new Certainty(Certainty.Level.valueOf(c.certainty().level().name()), c.certainty().reasons()));
    }
}
