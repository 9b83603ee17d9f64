package org.livingevidence.metaanalysis.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.StandardNormal;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

class NewStudyThresholdTest {

    private static final List<StudyEffect> SMALL = studies(new double[] {-0.45, -0.10, -0.62, 0.05, -0.30},
            new double[] {0.04, 0.05, 0.09, 0.03, 0.06});

    /**
     * Fixed effect in closed form. Significant: a study at the null with variance v leaves the estimate's z at
     * S / sqrt(W + 1/v) (S = sum w y, W = sum w), below the critical z once 1/v exceeds (S/z)^2 - W. Non-significant:
     * a study at the pooled estimate mu leaves mu and makes z = mu sqrt(W + 1/v), above it once 1/v exceeds (z/mu)^2 - W.
     */
    @Test
    void theFixedEffectThresholdsAreTheClosedFormOnes() {
        NewStudyThreshold.Model fixed = new NewStudyThreshold.Model(false, Tau2Method.DL, CiMethod.WALD, 0.05);
        double w = 0;
        double s = 0;
        for (StudyEffect e : SMALL) {
            w += 1 / e.variance();
            s += e.estimate() / e.variance();
        }
        double z = StandardNormal.quantile(0.975);
        NewStudyThreshold.Result significant = NewStudyThreshold.of(SMALL, fixed);
        assertThat(significant.change()).isEqualTo(NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT);
        assertThat(significant.effect()).isZero();
        assertThat(significant.maxStandardError()).isCloseTo(1 / Math.sqrt((s / z) * (s / z) - w), org.assertj.core.data.Percentage.withPercentage(1e-6));

        List<StudyEffect> weak = studies(new double[] {-0.2, 0.1}, new double[] {0.04, 0.05});
        double w2 = 1 / 0.04 + 1 / 0.05;
        double mu = (-0.2 / 0.04 + 0.1 / 0.05) / w2;
        NewStudyThreshold.Result nonSignificant = NewStudyThreshold.of(weak, fixed);
        assertThat(nonSignificant.change()).isEqualTo(NewStudyThreshold.Change.BECOMES_SIGNIFICANT);
        assertThat(nonSignificant.effect()).isCloseTo(mu, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(nonSignificant.maxStandardError()).isCloseTo(1 / Math.sqrt((z / mu) * (z / mu) - w2),
                org.assertj.core.data.Percentage.withPercentage(1e-6));
    }

    static Stream<JsonNode> metaforCases() {
        return RobustnessFixtures.cases("new-study-threshold");
    }

    /** Against metafor refitting the model with the new study and uniroot on its p-value (generate-new-study-fixtures.R). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("metaforCases")
    void agreesWithMetaforRefittingTheModelWithTheNewStudy(JsonNode c) {
        List<StudyEffect> studies = new ArrayList<>();
        for (int i = 0; i < c.get("yi").size(); i++) {
            studies.add(new StudyEffect("s" + i, c.get("yi").get(i).asDouble(), c.get("vi").get(i).asDouble()));
        }
        String model = c.get("model").asText();
        NewStudyThreshold.Model m = new NewStudyThreshold.Model(!model.equals("FE"),
                model.startsWith("REML") ? Tau2Method.REML : model.startsWith("PM") ? Tau2Method.PM : Tau2Method.DL,
                model.endsWith("HKSJ") ? CiMethod.HKSJ : CiMethod.WALD, c.get("alpha").asDouble());
        NewStudyThreshold.Result result = NewStudyThreshold.of(studies, m);
        assertThat(result.change() == NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT).isEqualTo(c.get("significant").asBoolean());
        assertThat(result.effect()).isCloseTo(c.get("effect").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.anyStandardError()).isEqualTo(c.get("anyStandardError").asBoolean());
        assertThat(result.someStandardErrors()).isEqualTo(c.get("someStandardErrors").asBoolean());
        if (c.get("maxStandardError").isNull()) {
            assertThat(result.maxStandardError()).isNull();
        } else {
            assertThat(result.maxStandardError()).isCloseTo(c.get("maxStandardError").asDouble(),
                    org.assertj.core.data.Percentage.withPercentage(1e-4));
        }
    }

    /** Brute force with the engine: just below the threshold the conclusion changes, just above it does not. */
    @Test
    void justBelowTheThresholdTheConclusionChangesAndJustAboveItDoesNot() {
        for (Tau2Method method : List.of(Tau2Method.DL, Tau2Method.REML, Tau2Method.PM, Tau2Method.SJ)) {
            NewStudyThreshold.Model m = new NewStudyThreshold.Model(true, method, CiMethod.WALD, 0.05);
            NewStudyThreshold.Result result = NewStudyThreshold.of(SMALL, m);
            assertThat(result.maxStandardError()).as(method.name()).isNotNull();
            List<StudyEffect> withNew = new ArrayList<>(SMALL);
            withNew.add(null);
            boolean significant = result.change() == NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT;
            assertThat(NewStudyThreshold.changes(withNew, result.effect(), result.maxStandardError() * (1 - 1e-6), m, significant)).isTrue();
            assertThat(NewStudyThreshold.changes(withNew, result.effect(), result.maxStandardError() * (1 + 1e-6), m, significant)).isFalse();
        }
    }

    @Test
    void aSingleStudyHasAThresholdUnderWaldAndNoneUnderHksj() {
        NewStudyThreshold.Result one = NewStudyThreshold.of(List.of(new StudyEffect("a", -0.5, 0.01)),
                new NewStudyThreshold.Model(true, Tau2Method.REML, CiMethod.WALD, 0.05));
        assertThat(one.change()).isEqualTo(NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT);
        assertThat(one.maxStandardError()).isNotNull().isPositive();
        // One study is judged by Wald, two would be by t(1): EvidenceSynthesis gives no threshold rather than an artefact.
        var frame = org.livingevidence.metaanalysis.conclusions.QuestionFrame.comparative("HR", true, true, true, 0.05, null);
        var result = org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis.run(
                List.of(new org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis.Study("a", -0.5, 0.01, 2020, null)),
                org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis.Plan.of(frame, Tau2Method.REML, CiMethod.HKSJ, null));
        assertThat(result.conclusion()).isNotNull();
        assertThat(result.newStudy()).isNull();
    }

    @Test
    void theSentencesRoundTheThresholdDownAndSayWhatItIsTheStandardErrorOf() {
        NewStudyThreshold.Result r = new NewStudyThreshold.Result(NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT, 0, 0.16999, false, false);
        assertThat(RobustnessStatements.newStudy("HR", "the log HR", r, 1.0, NewStudySize.hazardRatio(0.16999), "this random-effects model"))
                .isEqualTo("A new study showing HR 1.00 with a standard error of the log HR below 0.16 (about 139 events) would make this non-significant.");
        NewStudyThreshold.Result none = new NewStudyThreshold.Result(NewStudyThreshold.Change.BECOMES_SIGNIFICANT, -0.4, null, false, false);
        assertThat(RobustnessStatements.newStudy("HR", "the log HR", none, 0.67, null, "this random-effects model"))
                .isEqualTo("Under this random-effects model, no single new study showing HR 0.67, however large, would make this significant.");
        NewStudyThreshold.Result some = new NewStudyThreshold.Result(NewStudyThreshold.Change.BECOMES_SIGNIFICANT, -0.4, null, false, true);
        assertThat(RobustnessStatements.newStudy("RR", "the log RR", some, 0.67, null, "this random-effects model"))
                .startsWith("Under this random-effects model, some new studies showing RR 0.67 would make this significant and others would not");
        assertThat(RobustnessStatements.newStudy("RD", null, none, 0.004, null, "this random-effects model"))
                .startsWith("Under this random-effects model, no single new study showing RD 0.004,");
        assertThat(RobustnessStatements.fragility(new FragilityIndex.Result(4, 4 / 1553.0, false, 1553), 20))
                .isEqualTo("The result would become non-significant if 4 of the 1,553 participants (0.26%) had had the other outcome (fragility index 4).");
        assertThat(RobustnessStatements.absoluteEffect(AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0.2, 0.81, 0.69, 1.02), "1 year"))
                .isEqualTo("At a baseline risk of 200 per 1,000 over 1 year: 38 fewer per 1,000 (from 62 fewer to 4 more).");
        assertThat(RobustnessStatements.absoluteEffect(AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0.2, 0.81, 0.69, 1.02), "1 year",
                "all-cause mortality"))
                .isEqualTo("For all-cause mortality, at a baseline risk of 200 per 1,000 over 1 year: 38 fewer per 1,000 (from 62 fewer to 4 more).");
        assertThat(RobustnessStatements.absoluteEffect(AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0.2, 0.81, 0.69, 1.02), "1 year",
                "Overall survival")).startsWith("For overall survival, at");
        assertThat(RobustnessStatements.absoluteEffect(AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0.2, 0.81, 0.69, 1.02), "1 year",
                "MACE at 1 year")).startsWith("For MACE at 1 year, at");
    }

    /** A rare outcome is stated per 10,000 or 100,000, as GRADE does, so that it does not read "0 per 1,000". */
    @Test
    void aRareOutcomeIsStatedPerTenOrAHundredThousand() {
        assertThat(AbsoluteEffects.statedPer(0.2)).isEqualTo(1_000);
        assertThat(AbsoluteEffects.statedPer(0.01)).isEqualTo(1_000);
        assertThat(AbsoluteEffects.statedPer(0.004)).isEqualTo(10_000);
        assertThat(AbsoluteEffects.statedPer(0.0004)).isEqualTo(100_000);
        assertThat(RobustnessStatements.absoluteEffect(AbsoluteEffects.of(AbsoluteEffects.Measure.RR, 0.004, 0.5, 0.3, 0.9), "10 years",
                "stroke"))
                .isEqualTo("For stroke, at a baseline risk of 40 per 10,000 over 10 years: 20 fewer per 10,000 (from 28 fewer to 4 fewer).");
        assertThat(RobustnessStatements.absoluteEffect(AbsoluteEffects.of(AbsoluteEffects.Measure.OR, 0.0004, 1.5, 1.1, 2.0), "1 year"))
                .isEqualTo("At a baseline risk of 40 per 100,000 over 1 year: 20 more per 100,000 (from 4 more to 40 more).");
    }

    private static List<StudyEffect> studies(double[] y, double[] v) {
        List<StudyEffect> list = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            list.add(new StudyEffect("s" + i, y[i], v[i]));
        }
        return list;
    }
}
