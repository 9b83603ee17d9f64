package org.livingevidence.analysis.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public class ForestPlotTest {

    /** Three trials of a hazard ratio (the sample data's shape), one with an SE derived from a p-value bound. */
    static ForestPlot.Input threeTrials(String title) {
        return new ForestPlot.Input(title, "HR", true, 1, true, 0.95, List.of(
                new ForestPlot.Study("Trial A 2015", 0.70, 0.55, 0.89, 41.2, null),
                new ForestPlot.Study("Trial B 2018", 0.80, 0.65, 0.98, 48.5, null),
                new ForestPlot.Study("Trial C 2021", 1.10, 0.40, 3.02, 10.3, "SE = |ln ratio| / 3.2905 from p < 0.001 (the SE is an upper bound)")),
                new ForestPlot.Pooled("Fixed effect", 0.76, 0.66, 0.88), new ForestPlot.Pooled("Random effects (REML, HKSJ)", 0.77, 0.52, 1.13),
                new double[] {0.31, 1.90}, "Heterogeneity: tau² = 0.012, I² = 12%, Q = 2.27 (df = 2, p = 0.321)",
                "box areas are random-effects weights");
    }

    /**
     * The same input gives the same bytes as the reviewed file (regenerate it with -Dplots.regenerate=true after a
     * deliberate change, and look at it).
     */
    @Test
    void theSameInputGivesTheReviewedPlot() throws Exception {
        assertGolden(ForestPlot.svg(threeTrials("Local therapy plus systemic therapy: overall survival")), "forest-three-trials.svg");
    }

    /** Equal to the reviewed file in src/test/resources/plots (rewritten with -Dplots.regenerate=true, then looked at). */
    static void assertGolden(String svg, String file) throws java.io.IOException {
        Path golden = Path.of("src/test/resources/plots", file);
        if (Boolean.getBoolean("plots.regenerate")) {
            Files.writeString(golden, svg);
        }
        assertThat(svg).isEqualTo(Files.readString(golden));
    }

    @Test
    void itIsValidXmlWithATitleAndADescriptionForScreenReaders() throws Exception {
        Document doc = parse(ForestPlot.svg(threeTrials("Overall survival")));
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Overall survival");
        assertThat(doc.getElementsByTagName("desc").item(0).getTextContent())
                .isEqualTo("Forest plot of 3 studies. Random effects (REML, HKSJ): HR 0.77 (95% CI 0.52 to 1.13). Fixed effect: HR 0.76 "
                        + "(95% CI 0.66 to 0.88). Heterogeneity: tau² = 0.012, I² = 12%, Q = 2.27 (df = 2, p = 0.321).");
        assertThat(texts(doc)).contains("Trial A 2015", "Trial C 2021 *", "0.70 (0.55 to 0.89)", "41.2%", "Favours intervention",
                "Favours comparator", "Prediction interval", "(0.31 to 1.90)");
    }

    /** A log axis: the null at 1 sits where 0.5 and 2 are equally far on either side. */
    @Test
    void aRatioIsDrawnOnALogAxis() {
        ForestPlot.Axis axis = ForestPlot.Axis.of(threeTrials("t"));
        assertThat(axis.log()).isTrue();
        assertThat(axis.ticks()).contains(0.5, 1.0, 2.0);
        assertThat(axis.x(1) - axis.x(0.5)).isCloseTo(axis.x(2) - axis.x(1), org.assertj.core.data.Offset.offset(1e-9));
    }

    /** Box areas follow the weights: the side grows with the square root. */
    @Test
    void boxAreasFollowTheWeights() throws Exception {
        Document doc = parse(ForestPlot.svg(threeTrials("t")));
        NodeList rects = doc.getElementsByTagName("rect");
        // rects: the background, then one box per study
        double a = Double.parseDouble(((org.w3c.dom.Element) rects.item(1)).getAttribute("width"));
        double b = Double.parseDouble(((org.w3c.dom.Element) rects.item(2)).getAttribute("width"));
        assertThat(b).isGreaterThan(a);
        assertThat((b - 4) / (a - 4)).isCloseTo(Math.sqrt(48.5 / 41.2) / 1, org.assertj.core.data.Offset.offset(0.02 * 48.5 / 41.2 + 0.02));
    }

    /** A title with markup, quotes and control characters is text in the plot, never markup. */
    @Test
    void hostileTextIsEscaped() throws Exception {
        String hostile = "<script>alert('x')</script> & \"quoted\" \u0001 end";
        Document doc = parse(ForestPlot.svg(threeTrials(hostile)));
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("<script>alert('x')</script> & \"quoted\"  end");
    }

    /** A single study on a difference scale: a linear axis through 0, no heterogeneity line, no prediction interval. */
    @Test
    void oneStudyOnADifferenceScale() throws Exception {
        ForestPlot.Input one = new ForestPlot.Input("MD", "MD", false, 0, false, 0.95,
                List.of(new ForestPlot.Study("Only", -2.5, -4.1, -0.9, 100, null)), new ForestPlot.Pooled("Fixed effect", -2.5, -4.1, -0.9),
                null, null, null, "box areas are fixed-effect weights");
        Document doc = parse(ForestPlot.svg(one));
        ForestPlot.Axis axis = ForestPlot.Axis.of(one);
        assertThat(axis.log()).isFalse();
        assertThat(axis.ticks()).contains(0.0);
        assertThat(texts(doc)).contains("Favours comparator", "Favours intervention", "100.0%").doesNotContain("Prediction interval");
    }

    public static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    public static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
