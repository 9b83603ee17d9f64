package org.livingevidence.metaanalysis.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.robustness.ExtendedFunnel.Status;

/**
 * Against the extended funnel plot's reference implementation: the R package extfunnel 1.3 by Langan, Sutton, Higgins
 * and Gregory (cran/extfunnel @ 36d5831, R/zextfunnelpub17.R, which pools with rmeta's meta.summaries: DerSimonian-Laird
 * re-estimated with the new study, Wald intervals), run on its own help-page examples and on the low back pain trials
 * (Ferreira et al. 2012) that extfunnel2 (florianteichert/extfunnel2) reproduces. The boundaries are where the updated
 * 95% interval's limit equals the reference, solved with uniroot (1e-12) on extfunnel's own meta-analysis routine.
 */
class ExtendedFunnelTest {

    private static final NewStudyThreshold.Model FIXED = new NewStudyThreshold.Model(false, Tau2Method.DL, CiMethod.WALD, 0.05);
    private static final NewStudyThreshold.Model DL = new NewStudyThreshold.Model(true, Tau2Method.DL, CiMethod.WALD, 0.05);

    /** extfunnel's help-page example 1: differences in Epworth score, four studies (man/extfunnel.Rd). */
    private static final List<StudyEffect> EPWORTH = studies(new double[] {0, 4, -0.4, 0.9}, new double[] {0.566, 1.158, 0.939, 1.332});
    /** Example 2: log risk ratios of five studies, as extfunnel 1.3 rounds them. */
    private static final List<StudyEffect> LOG_RR = studies(new double[] {-1.95, -1.42, -2.03, -0.93, 0.024},
            new double[] {1.021, 1.088, 0.718, 0.536, 0.673});
    /** Exercise for chronic low back pain, eight trials, pain on a 100-point scale (extfunnel2's man/extfunnel2.Rd). */
    private static final List<StudyEffect> BACK_PAIN = studies(new double[] {-10.0, -16.3, -27.0, -14.0, -15.1, -2.1, -19.0, -8.7},
            new double[] {3.4, 5.8, 3.4, 5.3, 2.9, 1.1, 7.2, 4.2});

    @Test
    void fixedEffectBoundariesAreExtfunnelsClosedFormOnes() {
        // se 1.5, 1.0, 0.5: below c2SS significantly < 0, above c1SS significantly > 0 (contour.points = 3, ylim 1.5..0.5)
        assertBoundaries(ExtendedFunnel.row(EPWORTH, FIXED, 0, 1.5, -40, 20, 200), -17.64278069470, 3.978375550607);
        assertBoundaries(ExtendedFunnel.row(EPWORTH, FIXED, 0, 1.0, -40, 20, 200), -8.05841651567, 1.985347562735);
        assertBoundaries(ExtendedFunnel.row(EPWORTH, FIXED, 0, 0.5, -40, 20, 200), -2.27454766480, 0.756280426568);
        assertBoundaries(ExtendedFunnel.row(LOG_RR, FIXED, 0, 0.25, -10, 10, 400), 0.01923849, 1.25476467);
        // Two points only, both boundaries between them: found one after the other, the band between them kept.
        assertBoundaries(ExtendedFunnel.row(EPWORTH, FIXED, 0, 1.0, -40, 20, 2), -8.05841651567, 1.985347562735);
        assertBoundaries(ExtendedFunnel.row(LOG_RR, FIXED, 0, 0.5, -10, 10, 400), 0.75217626, 4.34383637);
    }

    @Test
    void underRandomEffectsAnExtremeStudyWidensTheIntervalAgain() {
        // Significantly below 0 only between the two crossings: outside them tau² grows enough to span 0.
        ExtendedFunnel.Row row = ExtendedFunnel.row(LOG_RR, DL, 0, 0.25, -10, 10, 400);
        assertThat(row.segments()).extracting(ExtendedFunnel.Segment::status).containsExactly(Status.SPANS, Status.BELOW, Status.SPANS);
        assertThat(row.segments().get(0).toEffect()).isCloseTo(-4.44635697, Offset.offset(1e-7));
        assertThat(row.segments().get(1).toEffect()).isCloseTo(0.10901628, Offset.offset(1e-7));
        ExtendedFunnel.Row half = ExtendedFunnel.row(LOG_RR, DL, 0, 0.5, -10, 10, 400);
        assertThat(half.segments().get(0).toEffect()).isCloseTo(-5.78768952, Offset.offset(1e-7));
        assertThat(half.segments().get(1).toEffect()).isCloseTo(0.31935087, Offset.offset(1e-7));
        // Each segment's status is the model's full fit's, just inside either end.
        List<StudyEffect> withNew = new ArrayList<>(LOG_RR);
        withNew.add(null);
        for (ExtendedFunnel.Segment segment : row.segments()) {
            double inside = (segment.toEffect() - segment.fromEffect()) * 1e-6;
            assertThat(ExtendedFunnel.status(withNew, DL, 0, segment.fromEffect() + inside, 0.25)).isEqualTo(segment.status());
            assertThat(ExtendedFunnel.status(withNew, DL, 0, segment.toEffect() - inside, 0.25)).isEqualTo(segment.status());
        }
        // Epworth under random effects: no single study in the window makes the result significant.
        for (double se : new double[] {1, 0.5, 0.25}) {
            assertThat(ExtendedFunnel.row(EPWORTH, DL, 0, se, -10, 15, 400).segments()).extracting(ExtendedFunnel.Segment::status)
                    .containsExactly(Status.SPANS);
        }
    }

    @Test
    void againstASmallestWorthwhileEffectNoNewTrialMakesExerciseClearlyWorthwhile() {
        // Reference -20 points: 'clearly not worthwhile' (ABOVE) for a new trial between the crossings; never BELOW.
        ExtendedFunnel.Row one = ExtendedFunnel.row(BACK_PAIN, DL, -20, 1, -200, 100, 600);
        assertThat(one.segments()).extracting(ExtendedFunnel.Segment::status).containsExactly(Status.SPANS, Status.ABOVE, Status.SPANS);
        assertThat(one.segments().get(0).toEffect()).isCloseTo(-15.86040168, Offset.offset(1e-6));
        assertThat(one.segments().get(1).toEffect()).isCloseTo(13.27422943, Offset.offset(1e-6));
        ExtendedFunnel.Row three = ExtendedFunnel.row(BACK_PAIN, DL, -20, 3, -200, 100, 600);
        assertThat(three.segments().get(0).toEffect()).isCloseTo(-13.36041096, Offset.offset(1e-6));
        assertThat(three.segments().get(1).toEffect()).isCloseTo(38.36429983, Offset.offset(1e-6));
        ExtendedFunnel.Row five = ExtendedFunnel.row(BACK_PAIN, DL, -20, 5, -200, 100, 600);
        assertThat(five.segments()).extracting(ExtendedFunnel.Segment::status).containsExactly(Status.SPANS, Status.ABOVE);
        assertThat(five.segments().get(0).toEffect()).isCloseTo(-11.04743091, Offset.offset(1e-6));
        // extfunnel's single-point checks: the interval spans -20 for these new trials
        List<StudyEffect> withNew = new ArrayList<>(BACK_PAIN);
        withNew.add(null);
        assertThat(ExtendedFunnel.status(withNew, DL, -20, -30, 2)).isEqualTo(Status.SPANS);
        assertThat(ExtendedFunnel.status(withNew, DL, -20, -60, 1)).isEqualTo(Status.SPANS);
    }

    /** The threshold's summary is one point of the region: at its SE, the region's boundary passes through its effect. */
    @Test
    void theNewStudyThresholdLiesOnTheRegionsBoundary() {
        NewStudyThreshold.Result t = NewStudyThreshold.of(EPWORTH, FIXED);
        assertThat(t.change()).isEqualTo(NewStudyThreshold.Change.BECOMES_SIGNIFICANT);
        ExtendedFunnel.Row row = ExtendedFunnel.row(EPWORTH, FIXED, 0, t.maxStandardError(), -40, 20, 400);
        assertThat(row.segments().get(1).toEffect()).isCloseTo(t.effect(), Offset.offset(1e-6));
    }

    @Test
    void aRowPastItsDeadlineStops() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExtendedFunnel.row(LOG_RR, DL, 0, 0.25, -10, 10, 400, System.nanoTime() - 1))
                .isInstanceOf(ExtendedFunnel.OverBudget.class);
    }

    private static void assertBoundaries(ExtendedFunnel.Row row, double below, double above) {
        assertThat(row.segments()).extracting(ExtendedFunnel.Segment::status).containsExactly(Status.BELOW, Status.SPANS, Status.ABOVE);
        assertThat(row.segments().get(0).toEffect()).isCloseTo(below, Offset.offset(1e-8));
        assertThat(row.segments().get(1).toEffect()).isCloseTo(above, Offset.offset(1e-8));
    }

    private static List<StudyEffect> studies(double[] y, double[] se) {
        List<StudyEffect> list = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            list.add(new StudyEffect("s" + i, y[i], se[i] * se[i]));
        }
        return list;
    }
}
