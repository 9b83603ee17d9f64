package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingevidence.metaanalysis.pooling.CloseTo.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.conclusions.Conclusion;
import org.livingevidence.metaanalysis.conclusions.ConclusionRules;
import org.livingevidence.metaanalysis.conclusions.Direction;
import org.livingevidence.metaanalysis.conclusions.MidStatus;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.derivation.DerivedEffect;
import org.livingevidence.metaanalysis.derivation.SingleArmProportion;

/** Single-arm proportions concluded against a reference proportion, against metafor (generate-proportion-fixtures.R). */
class ProportionAgainstReferenceTest {

    @Test
    void poolsOnTheLogitScaleAndTestsAgainstTheReferenceAsMetaforDoes() {
        JsonNode document = MetaforFixtures.load("proportion-reference");
        int checked = 0;
        for (JsonNode fixture : document.get("fixtures")) {
            for (JsonNode run : fixture.get("results")) {
                String what = fixture.get("name").asText() + " " + run.get("method").asText() + "/" + run.get("test").asText();
                boolean random = !"FE".equals(run.get("method").asText());
                QuestionFrame frame = QuestionFrame.singleArmProportion(false, random, 0.05, null, run.get("reference").asDouble());
                List<StudyEffect> effects = new ArrayList<>();
                for (JsonNode s : fixture.get("studies")) {
                    DerivedEffect derived = SingleArmProportion.derive(SingleArmProportion.Transform.LOGIT,
                            s.get("events").asDouble(), s.get("total").asDouble());
                    assertClose(what + " yi", derived.estimate(), s.get("yi"));
                    effects.add(new StudyEffect(s.get("id").asText(), frame.testScale(derived.estimate()),
                            derived.standardError() * derived.standardError()));
                }
                PooledEstimate chosen = random
                        ? RandomEffects.fit(effects, Tau2Method.valueOf(run.get("method").asText()),
                        "knha".equals(run.get("test").asText()) ? CiMethod.HKSJ : CiMethod.WALD, 0.95).pooled()
                        : FixedEffect.pool(effects, 0.95).pooled();
                Conclusion conclusion = ConclusionRules.conclude(chosen, effects.size(), frame);

                assertClose(what + " logit estimate", chosen.estimate() + frame.nullOnAnalysisScale(), run.get("estimate"));
                assertClose(what + " logit lower", chosen.ciLower() + frame.nullOnAnalysisScale(), run.get("ciLower"));
                assertClose(what + " proportion", conclusion.estimate(), run.get("proportion"));
                assertClose(what + " proportion lower", conclusion.ciLower(), run.get("proportionLower"));
                assertClose(what + " proportion upper", conclusion.ciUpper(), run.get("proportionUpper"));
                assertClose(what + " statistic", chosen.zValue(), run.get("statistic"));
                assertClose(what + " p against the reference", conclusion.pValue(), run.get("p"));
                assertThat(conclusion.significant()).as(what).isEqualTo(run.get("p").asDouble() < 0.05);
                boolean above = run.get("proportion").asDouble() > run.get("reference").asDouble();
                assertThat(conclusion.direction()).as(what).isEqualTo(above ? Direction.FAVOURS_INTERVENTION : Direction.FAVOURS_COMPARATOR);
                assertThat(conclusion.statement()).as(what).contains("reference proportion " + String.format(Locale.ROOT, "%.2f", run.get("reference").asDouble()));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void aLowerProportionIsTheBenefitWhenTheQuestionSaysSo() {
        QuestionFrame frame = QuestionFrame.singleArmProportion(true, false, 0.05, null, 0.30);
        DerivedEffect mdrt = SingleArmProportion.derive(SingleArmProportion.Transform.LOGIT, 28, 47);
        PooledEstimate pooled = FixedEffect.pool(List.of(new StudyEffect("mdrt", frame.testScale(mdrt.estimate()),
                mdrt.standardError() * mdrt.standardError())), 0.95).pooled();

        Conclusion conclusion = ConclusionRules.conclude(pooled, 1, frame);

        assertThat(conclusion.direction()).isEqualTo(Direction.FAVOURS_COMPARATOR);
        assertThat(conclusion.statement()).contains("favours the reference proportion 0.30");
    }

    @Test
    void aMinimalImportantDifferenceIsAProportionOnTheBenefitSide() {
        QuestionFrame frame = QuestionFrame.singleArmProportion(false, false, 0.05, 0.40, 0.30);
        DerivedEffect mdrt = SingleArmProportion.derive(SingleArmProportion.Transform.LOGIT, 28, 47);
        PooledEstimate pooled = FixedEffect.pool(List.of(new StudyEffect("mdrt", frame.testScale(mdrt.estimate()),
                mdrt.standardError() * mdrt.standardError())), 0.95).pooled();

        // 28/47 = 0.60 with a 95% interval of about 0.45 to 0.73: its lower bound lies above 0.40.
        assertThat(ConclusionRules.conclude(pooled, 1, frame).mid())
                .isEqualTo(MidStatus.IMPORTANT_BENEFIT);
    }

    @Test
    void aReferenceProportionIsRequiredForProportionsAndRefusedForComparisons() {
        assertThatThrownBy(() -> new QuestionFrame("proportion", QuestionFrame.Scale.LOGIT,
                false, true, 0.05, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuestionFrame.singleArmProportion(false, true, 0.05, null, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuestionFrame("HR", QuestionFrame.Scale.LOG,
                true, true, 0.05, null, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
