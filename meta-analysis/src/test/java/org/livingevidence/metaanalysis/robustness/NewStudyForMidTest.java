package org.livingevidence.metaanalysis.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.conclusions.MidStatus;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;

/**
 * The new study that moves the interval across the minimal important difference, checked by brute force: the study
 * it names, added to the question's studies and the whole analysis run again, moves the conclusion's MID status just
 * below the threshold and not just above it.
 */
class NewStudyForMidTest {

    /** Log hazard ratios with variances: pooled HR about 0.66, its interval (about 0.57 to 0.77) beyond an MID of 0.85. */
    private static final double[][] BENEFIT = {{-0.45, 0.04}, {-0.30, 0.02}, {-0.52, 0.05}, {-0.38, 0.03}, {-0.41, 0.02}};

    @Test
    void anIntervalBeyondTheMidIsBroughtOntoItByAStudyShowingTheMid() {
        for (Tau2Method method : List.of(Tau2Method.DL, Tau2Method.REML)) {
            for (boolean random : List.of(true, false)) {
                QuestionFrame frame = QuestionFrame.comparative("HR", true, true, random, 0.05, 0.85);
                EvidenceSynthesis.Result now = run(BENEFIT, frame, method);
                assertThat(now.conclusion().mid()).isEqualTo(MidStatus.IMPORTANT_BENEFIT);
                NewStudyForMid m = now.newStudyForMid();
                assertThat(m.becomes()).isEqualTo(MidStatus.INCONCLUSIVE);
                assertThat(frame.natural(m.threshold().effect())).isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-12));
                if (!random) {
                    assertThat(m.threshold().maxStandardError()).as("fixed effect always has a threshold").isNotNull();
                }
                assertChangesOnlyBelowTheThreshold(frame, method, m, MidStatus.IMPORTANT_BENEFIT);
            }
        }
    }

    @Test
    void anIntervalIncludingTheMidIsMovedOffItByAStudyShowingThePooledEffect() {
        // The same studies against an MID of 0.70: the interval includes it, the estimate lies beyond it.
        QuestionFrame frame = QuestionFrame.comparative("HR", true, true, true, 0.05, 0.70);
        EvidenceSynthesis.Result now = run(BENEFIT, frame, Tau2Method.REML);
        assertThat(now.conclusion().mid()).isEqualTo(MidStatus.INCONCLUSIVE);
        NewStudyForMid m = now.newStudyForMid();
        assertThat(m.becomes()).isEqualTo(MidStatus.IMPORTANT_BENEFIT);
        assertThat(m.threshold().effect()).isCloseTo(now.random().pooled().estimate(), org.assertj.core.data.Offset.offset(1e-12));
        assertChangesOnlyBelowTheThreshold(frame, Tau2Method.REML, m, MidStatus.INCONCLUSIVE);

        // Against an MID of 0.62 (beyond the estimate on the benefit side): the study would rule out an important benefit.
        QuestionFrame far = QuestionFrame.comparative("HR", true, true, true, 0.05, 0.62);
        EvidenceSynthesis.Result farNow = run(BENEFIT, far, Tau2Method.REML);
        assertThat(farNow.conclusion().mid()).isEqualTo(MidStatus.INCONCLUSIVE);
        assertThat(farNow.newStudyForMid().becomes()).isEqualTo(MidStatus.NO_IMPORTANT_BENEFIT);
        assertChangesOnlyBelowTheThreshold(far, Tau2Method.REML, farNow.newStudyForMid(), MidStatus.INCONCLUSIVE);
    }

    @Test
    void withoutAnMidThereIsNone() {
        QuestionFrame frame = QuestionFrame.comparative("HR", true, true, true, 0.05, null);
        assertThat(run(BENEFIT, frame, Tau2Method.DL).newStudyForMid()).isNull();
    }

    @Test
    void theSentenceSaysWhereTheIntervalWouldGo() {
        NewStudyThreshold.Result t = new NewStudyThreshold.Result(NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT, Math.log(0.85),
                0.1149, false, false);
        assertThat(RobustnessStatements.newStudyForMid("HR", "the log HR", new NewStudyForMid(t, MidStatus.INCONCLUSIVE), 0.85, 0.85,
                MidStatus.IMPORTANT_BENEFIT, NewStudySize.hazardRatio(0.1149), "this random-effects model"))
                .isEqualTo("A new study showing HR 0.85 (the minimal important difference) with a standard error of the log HR below 0.11"
                        + " (about 303 events) would bring the interval onto the minimal important difference (HR 0.85), so that an"
                        + " important benefit would no longer be shown.");
        NewStudyThreshold.Result none = new NewStudyThreshold.Result(NewStudyThreshold.Change.BECOMES_SIGNIFICANT, Math.log(0.66),
                null, false, false);
        assertThat(RobustnessStatements.newStudyForMid("HR", "the log HR", new NewStudyForMid(none, MidStatus.IMPORTANT_BENEFIT), 0.66,
                0.70, MidStatus.INCONCLUSIVE, null, "this random-effects model"))
                .isEqualTo("Under this random-effects model, no single new study showing HR 0.66, however large, would move the interval"
                        + " beyond the minimal important difference (HR 0.70), showing an important benefit.");
    }

    private static void assertChangesOnlyBelowTheThreshold(QuestionFrame frame, Tau2Method method, NewStudyForMid m, MidStatus now) {
        Double threshold = m.threshold().maxStandardError();
        double effect = m.threshold().effect();
        if (threshold == null) {
            // "No single study would": a study a thousand times more precise than any, or as precise as any, does not.
            assertThat(m.threshold().anyStandardError() || m.threshold().someStandardErrors()).isFalse();
            for (double se : new double[] {1e-4, 1e-2, 0.1, 0.2, 1}) {
                assertThat(withNewStudy(frame, method, effect, se).conclusion().mid()).as("SE " + se).isEqualTo(now);
            }
            return;
        }
        assertThat(withNewStudy(frame, method, effect, threshold * (1 - 1e-6)).conclusion().mid()).isEqualTo(m.becomes());
        assertThat(withNewStudy(frame, method, effect, threshold * (1 + 1e-6)).conclusion().mid()).isEqualTo(now);
    }

    private static EvidenceSynthesis.Result withNewStudy(QuestionFrame frame, Tau2Method method, double effect, double se) {
        double[][] more = java.util.Arrays.copyOf(BENEFIT, BENEFIT.length + 1);
        more[BENEFIT.length] = new double[] {effect, se * se};
        return run(more, frame, method);
    }

    private static EvidenceSynthesis.Result run(double[][] effects, QuestionFrame frame, Tau2Method method) {
        List<EvidenceSynthesis.Study> studies = new ArrayList<>();
        for (int i = 0; i < effects.length; i++) {
            studies.add(new EvidenceSynthesis.Study("s" + i, effects[i][0], effects[i][1], 2010 + i, null));
        }
        return EvidenceSynthesis.run(studies, EvidenceSynthesis.Plan.of(frame, method, CiMethod.WALD, null));
    }
}
