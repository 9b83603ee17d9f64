package org.livingevidence.study.outcomes;

import org.livingevidence.contracts.events.DerivedEffect;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.metaanalysis.derivation.InvalidReportedFigures;
import org.livingevidence.metaanalysis.derivation.RatioWithConfidenceInterval;
import org.livingevidence.support.problems.InputProblem;

/**
 * Runs the analysis engine's derivation on a record at submission, so a curator learns at once that a CI does not
 * contain its estimate; and the derived effect travels in the event for every consumer.
 */
final class ReportedOutcomeDerivation {

    private ReportedOutcomeDerivation() {
    }

    static DerivedEffect derive(ReportedOutcome reported) {
        try {
            org.livingevidence.metaanalysis.derivation.DerivedEffect effect;
            if (reported instanceof ReportedOutcome.RatioWithCi r) {
                effect = RatioWithConfidenceInterval.derive(r.estimate(), r.lower(), r.upper(), r.ciLevel());
            } else {
                throw new IllegalStateException("no derivation for " + reported.getClass().getSimpleName());
            }
            return new DerivedEffect(reported.measure(), reported.measure().scale(), effect.estimate(),
                    effect.standardError(), effect.method(), effect.assumptions(), effect.approximate(), effect.warnings());
        } catch (InvalidReportedFigures e) {
            throw InputProblem.invalid("reported." + e.field(), e.reason());
        }
    }
}
