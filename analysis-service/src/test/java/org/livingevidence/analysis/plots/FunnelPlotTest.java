package org.livingevidence.analysis.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.bias.EggerTest;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class FunnelPlotTest {

    /** dat.bcg's log risk ratios and SEs (Colditz et al. 1994), the pooled REML estimate -0.7145. */
    static FunnelPlot.Input bcg() {
        double[] y = {-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209, 0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173};
        double[] se = {0.5706, 0.4411, 0.6430, 0.1427, 0.2277, 0.0830, 0.4826, 0.0633, 0.2360, 0.2705, 0.1124, 0.7302, 0.2667};
        List<FunnelPlot.Study> studies = new ArrayList<>();
        List<StudyEffect> effects = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            studies.add(new FunnelPlot.Study("s" + (i + 1), y[i], se[i]));
            effects.add(new StudyEffect("s" + (i + 1), y[i], se[i] * se[i]));
        }
        EggerTest.Result e = EggerTest.test(effects);
        return new FunnelPlot.Input("BCG vaccine trials", "RR", true, 0, -0.7145, "random effects (REML)", studies,
                new FunnelPlot.Egger(e.limitEstimate(), e.slope(), e.pValue()), Math::exp);
    }

    @Test
    void theSameInputGivesTheReviewedPlot() throws Exception {
        ForestPlotTest.assertGolden(FunnelPlot.svg(bcg()), "funnel-bcg.svg");
    }

    @Test
    void itIsValidXmlWithEveryStudyAndEggersLineInWords() throws Exception {
        Document doc = ForestPlotTest.parse(FunnelPlot.svg(bcg()));
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(13);
        assertThat(doc.getElementsByTagName("desc").item(0).getTextContent())
                .startsWith("Contour-enhanced funnel plot of 13 studies; pooled RR 0.49 (random effects (REML)). Egger's regression test");
        assertThat(ForestPlotTest.texts(doc)).contains("p > 0.10", "0.05 to 0.10", "0.01 to 0.05", "p < 0.01");
    }

    /** Egger's line runs through effect = intercept at SE 0 and intercept + slope x SE at the bottom of the plot. */
    @Test
    void eggersLineIsTheRegressionLine() throws Exception {
        FunnelPlot.Input in = bcg();
        Document doc = ForestPlotTest.parse(FunnelPlot.svg(in));
        NodeList lines = doc.getElementsByTagName("line");
        Element egger = null;
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if ("#b45309".equals(line.getAttribute("stroke"))) {
                egger = line;
            }
        }
        assertThat(egger).isNotNull();
        double x1 = Double.parseDouble(egger.getAttribute("x1"));
        double x2 = Double.parseDouble(egger.getAttribute("x2"));
        // The pooled estimate's vertical line gives the scale: both lines start at SE 0 (the top).
        assertThat(Double.parseDouble(egger.getAttribute("y1"))).isEqualTo(FunnelPlot.TOP);
        double slopeSign = Math.signum(in.egger().slope());
        assertThat(Math.signum(x2 - x1)).isEqualTo(slopeSign);
    }

    @Test
    void twoStudiesHaveNoEggerLine() throws Exception {
        FunnelPlot.Input two = new FunnelPlot.Input("Two", "HR", true, 0, -0.2, "fixed effect",
                List.of(new FunnelPlot.Study("a", -0.3, 0.1), new FunnelPlot.Study("b", -0.1, 0.2)), null, Math::exp);
        Document doc = ForestPlotTest.parse(FunnelPlot.svg(two));
        assertThat(ForestPlotTest.texts(doc)).contains("Egger's test: fewer than three studies, or equal standard errors");
    }
}
