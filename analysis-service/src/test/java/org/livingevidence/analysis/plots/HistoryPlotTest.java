package org.livingevidence.analysis.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.Conclusion;
import org.w3c.dom.Document;

class HistoryPlotTest {

    static HistoryPlot.Input fourVersions() {
        return new HistoryPlot.Input("Overall survival: estimate history", "HR", true, 1, 0.95, List.of(
                new HistoryPlot.Point(1, 0.86, 0.66, 1.12, null),
                new HistoryPlot.Point(2, 0.67, 0.45, 1.02, null),
                new HistoryPlot.Point(3, 0.71, 0.58, 0.88, "became significant"),
                new HistoryPlot.Point(4, 0.74, 0.61, 0.90, null)));
    }

    @Test
    void theSameInputGivesTheReviewedPlot() throws Exception {
        ForestPlotTest.assertGolden(HistoryPlot.svg(fourVersions()), "history-four-versions.svg");
    }

    @Test
    void itIsValidXmlAndSaysTheHistoryInWords() throws Exception {
        Document doc = ForestPlotTest.parse(HistoryPlot.svg(fourVersions()));
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(4);
        assertThat(doc.getElementsByTagName("desc").item(0).getTextContent()).isEqualTo("Pooled HR over 4 estimate versions, from 0.86 "
                + "(95% CI 0.66 to 1.12) at version 1 to 0.74 (0.61 to 0.90) at version 4. Version 3: became significant.");
        assertThat(ForestPlotTest.texts(doc)).contains("v3: became significant", "Estimate version");
    }

    @Test
    void aShiftNamesWhatChanged() {
        Conclusion before = conclusion(false, Conclusion.Direction.FAVOURS_INTERVENTION, Conclusion.MidStatus.INCONCLUSIVE);
        assertThat(EstimatePlots.shift(before, conclusion(true, Conclusion.Direction.FAVOURS_INTERVENTION, Conclusion.MidStatus.IMPORTANT_BENEFIT)))
                .isEqualTo("became significant, MID important benefit");
        assertThat(EstimatePlots.shift(before, conclusion(false, Conclusion.Direction.FAVOURS_COMPARATOR, Conclusion.MidStatus.INCONCLUSIVE)))
                .isEqualTo("direction favours comparator");
        assertThat(EstimatePlots.shift(before, before)).isNull();
        assertThat(EstimatePlots.shift(null, before)).isNull();
    }

    private static Conclusion conclusion(boolean significant, Conclusion.Direction direction, Conclusion.MidStatus mid) {
        return new Conclusion(direction, significant, AnalysisSettings.Model.RANDOM, 0.05, 3, 0.8, 0.6, 1.1, significant ? 0.01 : 0.2,
                "statement", mid, null, null);
    }
}
