package org.livingevidence.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.contracts.alerts.AlertKind;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.notify.PublicLinks;

/** The alert email reads at a glance and never contradicts itself; whatever a title holds stays text. */
class AlertEmailTest {

    private static final PublicLinks LINKS = new PublicLinks("https://notify.example", "https://analysis.example", "https://study.example");

    private static Conclusion conclusion(boolean significant, int k, double estimate, double lower, double upper, double p,
                                         Conclusion.Certainty certainty) {
        return new Conclusion(Conclusion.Direction.FAVOURS_INTERVENTION, significant, AnalysisSettings.Model.RANDOM, 0.05, k,
                estimate, lower, upper, p, "statement", null, null, certainty);
    }

    private static Alert shift(String title, Conclusion previous, Conclusion before, Conclusion current) {
        Trigger trigger = new Trigger(Trigger.Kind.OUTCOME_RECORD, "r_c", 1, "Large Trial C 2024", Trigger.Change.ADDED);
        return new Alert(Alert.CONCLUSION_SHIFTED, Instant.parse("2026-12-02T12:00:00Z"), new Alert.Data("q_1", title, "q_1:7", 7,
                List.of(AlertKind.SIGNIFICANCE_FLIP), "Pooled HR 0.77 ...", previous, current, trigger,
                new Alert.Links("https://analysis.example/e", "https://notify.example/feeds/questions/q_1", "https://study.example/r_c",
                        "https://study.example/q_1"), List.of(trigger), before));
    }

    private final Conclusion alerted = conclusion(false, 5, 0.90, 0.60, 1.35, 0.61, null);
    private final Conclusion justBefore = conclusion(false, 6, 0.88, 0.65, 1.18, 0.40, null);
    private final Conclusion now = conclusion(true, 7, 0.77, 0.62, 0.95, 0.016,
            new Conclusion.Certainty(Conclusion.Certainty.Level.MODERATE, List.of("risk of bias: two of seven trials at high risk")));

    @Test
    void theDirectionNamesWhatTheQuestionComparesWhenTheNamesAreShortEnoughToRead() {
        AlertEmail named = new AlertEmail(shift("Dapagliflozin in heart failure: mortality", alerted, justBefore, now), LINKS, "u",
                new AlertEmail.Arms("dapagliflozin", "placebo"));
        assertThat(named.text()).contains("0.016: significant, favours dapagliflozin (k = 7)");
        assertThat(named.html()).contains("favours dapagliflozin");
        Conclusion harmful = new Conclusion(Conclusion.Direction.FAVOURS_COMPARATOR, true, AnalysisSettings.Model.RANDOM, 0.05, 3,
                1.4, 1.1, 1.8, 0.01, "s", null, null, null);
        assertThat(AlertEmail.result(harmful, new AlertEmail.Arms("dapagliflozin", "placebo"))).contains("favours placebo");
        // A PICO element written as a sentence, or missing, reads as the role it plays.
        assertThat(AlertEmail.result(now, new AlertEmail.Arms("x".repeat(61), null))).contains("favours the intervention");
        assertThat(AlertEmail.result(harmful, new AlertEmail.Arms(" ", "  "))).contains("favours the comparator");
    }

    @Test
    void whereTheDeploymentRunsTheConsoleItsPagesComeFirstAndTheApiLinksStay() {
        PublicLinks withConsole = new PublicLinks("https://notify.example", "https://analysis.example", "https://study.example",
                "https://console.example/");
        AlertEmail email = new AlertEmail(shift("Dapagliflozin in heart failure: mortality", alerted, justBefore, now), withConsole,
                "https://notify.example/unsubscribe?token=t");

        String text = email.text();
        assertThat(text).contains("This version in the console: https://console.example/#/questions/q_1?version=7\n"
                + "The question in the console (live): https://console.example/#/questions/q_1\n"
                + "This estimate version: https://analysis.example/api/v1/questions/q_1/estimates/7");
        assertThat(email.html()).contains("href=\"https://console.example/#/questions/q_1?version=7\"");
        assertThat(new AlertEmail(shift("t", alerted, justBefore, now), LINKS, "u").text()).doesNotContain("console");
    }

    @Test
    void namesTheEstimateNowJustBeforeAndAsLastAlertedWithLevelPDirectionAndCertainty() {
        AlertEmail email = new AlertEmail(shift("Dapagliflozin in heart failure: mortality", alerted, justBefore, now), LINKS, "https://notify.example/unsubscribe?token=t");

        String text = email.text();
        assertThat(text).startsWith("Dapagliflozin in heart failure: mortality\n")
                .contains("Now (estimate version 7): 0.77, 95% CI 0.62 to 0.95, p = 0.016: significant, favours the intervention (k = 7)")
                .contains("Just before: 0.88, 95% CI 0.65 to 1.18, p = 0.40: not significant, favours the intervention (k = 6)")
                .contains("At the last shift (or first estimate): 0.90, 95% CI 0.60 to 1.35, p = 0.61: not significant")
                .contains("This estimate version: https://analysis.example/api/v1/questions/q_1/estimates/7")
                .contains("Certainty of the evidence: moderate (risk of bias: two of seven trials at high risk)")
                .contains("Forest plot now: https://analysis.example/api/v1/questions/q_1/estimates/7/plots/forest.svg")
                .contains("Forest plot just before: https://analysis.example/api/v1/questions/q_1/estimates/6/plots/forest.svg")
                .contains("Unsubscribe: https://notify.example/unsubscribe?token=t");
        String html = email.html();
        assertThat(html).contains("<h1").contains("Dapagliflozin in heart failure: mortality").contains("max-width:600px")
                .contains("name=\"viewport\"").contains("95% CI 0.62 to 0.95").contains("At the last shift").contains("Certainty of the evidence: moderate")
                .contains("href=\"https://analysis.example/api/v1/questions/q_1/estimates/6/plots/forest.svg\"")
                .contains("<img src=\"https://analysis.example/api/v1/questions/q_1/estimates/7/plots/forest.png\" width=\"552\" alt=\"Forest plot now (version 7)\"")
                .contains("<img src=\"https://analysis.example/api/v1/questions/q_1/estimates/6/plots/forest.png\" width=\"552\" alt=\"Forest plot just before (version 6)\"");
    }

    @Test
    void theConclusionAtTheLastShiftIsLeftOutWhenItIsTheEstimateJustBefore() {
        String text = new AlertEmail(shift("Q", justBefore, justBefore, now), LINKS, "u").text();

        assertThat(text).contains("Just before: 0.88").doesNotContain("At the last shift");
    }

    @Test
    void aPJustBelowAlphaNeverReadsAsAlpha() {
        Conclusion justSignificant = conclusion(true, 7, 0.80, 0.64, 0.9996, 0.0496, null);

        assertThat(AlertEmail.result(justSignificant)).contains("p = 0.0496: significant");
    }

    @Test
    void whatATitleHoldsStaysText() {
        String html = new AlertEmail(shift("<script>alert(1)</script> & \"quotes\"", alerted, null, now), LINKS, "u").html();

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;");
    }
}
