package org.livingevidence.metaanalysis.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

class FragilityIndexTest {

    static Stream<JsonNode> metaforCases() {
        return RobustnessFixtures.cases("fragility");
    }

    /** Against the same procedure written with metafor (generate-fragility-fixtures.R). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("metaforCases")
    void agreesWithAtalsProcedureRunWithMetafor(JsonNode c) {
        List<FragilityIndex.Table> tables = new ArrayList<>();
        for (int i = 0; i < c.get("eventsIntervention").size(); i++) {
            tables.add(new FragilityIndex.Table(c.get("eventsIntervention").get(i).asDouble(), c.get("totalIntervention").get(i).asDouble(),
                    c.get("eventsComparator").get(i).asDouble(), c.get("totalComparator").get(i).asDouble()));
        }
        String model = c.get("model").asText();
        NewStudyThreshold.Model m = new NewStudyThreshold.Model(!model.equals("FE"), model.startsWith("REML") ? Tau2Method.REML : Tau2Method.DL,
                model.endsWith("HKSJ") ? CiMethod.HKSJ : CiMethod.WALD, c.get("alpha").asDouble());
        FragilityIndex.Result result = FragilityIndex.of(tables, TwoByTwoTable.Measure.valueOf(c.get("measure").asText()), m, 60);
        assertThat(result.becomesSignificant()).isEqualTo(!c.get("significant").asBoolean());
        assertThat(result.index()).isEqualTo(c.get("index").isNull() ? null : c.get("index").asInt());
    }

    static Stream<JsonNode> referenceCases() throws java.io.IOException {
        try (var in = FragilityIndexTest.class.getResourceAsStream("/reference-implementations/fragility.json")) {
            JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            List<JsonNode> cases = new ArrayList<>();
            root.get("cases").forEach(cases::add);
            return cases.stream();
        }
    }

    /**
     * Against the method's reference implementations on their own example data: Atal et al.'s code (their worked
     * example, pooled by inverse variance) and Lin's R package fragility (the nutrition-support meta-analyses its
     * documentation uses), whose results are in reference-implementations/fragility.json with their sources.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void agreesWithTheMethodsReferenceImplementations(JsonNode c) {
        List<FragilityIndex.Table> tables = tables(c);
        String model = c.get("model").asText();
        NewStudyThreshold.Model m = new NewStudyThreshold.Model(!model.equals("FE"), model.startsWith("REML") ? Tau2Method.REML : Tau2Method.DL,
                model.endsWith("HKSJ") ? CiMethod.HKSJ : CiMethod.WALD, c.get("alpha").asDouble());
        TwoByTwoTable.Measure measure = TwoByTwoTable.Measure.valueOf(c.get("measure").asText());
        String label = c.get("name").asText();
        assertThat(FragilityIndex.pValue(tables, measure, m)).as(label + " p")
                .isCloseTo(c.get("p").asDouble(), org.assertj.core.data.Percentage.withPercentage(0.05));
        assertThat(FragilityIndex.of(tables, measure, m, 200).index()).as(label).isEqualTo(c.get("index").asInt());
    }

    /**
     * A candidate whose ML likelihood has two maxima (tau² 0 and 0.217): the search must judge it by the model's own
     * fit, which finds the global one, as metafor does. Lin's frag.ma (measure OR, method ML) gives 3 on these trials; a
     * search that started each refit from the last one's tau² stayed at 0 and went another way, to 17.
     */
    @Test
    void aCandidateWithTwoLikelihoodMaximaIsJudgedAsTheModelJudgesIt() {
        List<FragilityIndex.Table> tables = List.of(new FragilityIndex.Table(2, 22, 13, 118), new FragilityIndex.Table(23, 118, 2, 47),
                new FragilityIndex.Table(38, 185, 11, 171), new FragilityIndex.Table(17, 117, 2, 59), new FragilityIndex.Table(1, 31, 3, 23),
                new FragilityIndex.Table(16, 140, 1, 47));
        NewStudyThreshold.Model ml = new NewStudyThreshold.Model(true, Tau2Method.ML, CiMethod.WALD, 0.05);
        assertThat(FragilityIndex.of(tables, TwoByTwoTable.Measure.OR, ml, 20).index()).isEqualTo(3);
    }

    private static List<FragilityIndex.Table> tables(JsonNode c) {
        List<FragilityIndex.Table> tables = new ArrayList<>();
        for (int i = 0; i < c.get("eventsIntervention").size(); i++) {
            tables.add(new FragilityIndex.Table(c.get("eventsIntervention").get(i).asDouble(), c.get("totalIntervention").get(i).asDouble(),
                    c.get("eventsComparator").get(i).asDouble(), c.get("totalComparator").get(i).asDouble()));
        }
        return tables;
    }

    /** Brute force: after exactly index changes along the procedure's path the conclusion is on the other side. */
    @Test
    void theIndexIsTheNumberOfChangesAfterWhichTheConclusionChanges() {
        List<FragilityIndex.Table> clear = List.of(new FragilityIndex.Table(15, 120, 28, 118), new FragilityIndex.Table(22, 150, 35, 152),
                new FragilityIndex.Table(9, 80, 18, 79));
        NewStudyThreshold.Model fixed = new NewStudyThreshold.Model(false, Tau2Method.DL, CiMethod.WALD, 0.05);
        FragilityIndex.Result result = FragilityIndex.of(clear, TwoByTwoTable.Measure.RR, fixed, 100);
        assertThat(FragilityIndex.pValue(clear, TwoByTwoTable.Measure.RR, fixed)).isLessThan(0.05);
        assertThat(result.becomesSignificant()).isFalse();
        assertThat(result.index()).isPositive();
        assertThat(result.participants()).isEqualTo(120 + 118 + 150 + 152 + 80 + 79);
        assertThat(result.quotient()).isEqualTo((double) result.index() / result.participants());
        // Fewer steps than the index cannot get there: one step short, still significant.
        assertThat(FragilityIndex.of(clear, TwoByTwoTable.Measure.RR, fixed, result.index() - 1).index()).isNull();
    }
}
