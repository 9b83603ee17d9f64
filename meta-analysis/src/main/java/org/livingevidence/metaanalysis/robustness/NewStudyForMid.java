package org.livingevidence.metaanalysis.robustness;

import org.livingevidence.metaanalysis.conclusions.MidStatus;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;

/**
 * The new study that would move a conclusion's interval across the minimal important difference: where the interval
 * lies beyond the MID or short of it, one showing the MID itself, which would bring the interval onto it; where the
 * interval includes the MID, one showing the pooled effect, which would move the interval off it to the side the
 * estimate lies on. The interval excludes the MID exactly when the test against the MID is significant, so the search
 * is {@link NewStudyThreshold}'s on the effects measured from the MID.
 *
 * @param threshold the search's result, its effect on the test scale
 * @param becomes   where the interval would then lie relative to the MID
 */
public record NewStudyForMid(NewStudyThreshold.Result threshold, MidStatus becomes) {

    /**
     * @param threshold the search on the effects measured from the MID, moved back to the test scale
     * @param midOnTestScale the MID on the test scale
     */
    public static NewStudyForMid of(NewStudyThreshold.Result threshold, double midOnTestScale, QuestionFrame frame) {
        MidStatus becomes;
        if (threshold.change() == NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT) {
            becomes = MidStatus.INCONCLUSIVE;
        } else {
            boolean beyondOnBenefitSide = frame.lowerIsBenefit() ? threshold.effect() < midOnTestScale : threshold.effect() > midOnTestScale;
            becomes = beyondOnBenefitSide ? MidStatus.IMPORTANT_BENEFIT : MidStatus.NO_IMPORTANT_BENEFIT;
        }
        return new NewStudyForMid(threshold, becomes);
    }
}
