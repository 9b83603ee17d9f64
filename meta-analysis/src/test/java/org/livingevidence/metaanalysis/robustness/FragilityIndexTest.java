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
