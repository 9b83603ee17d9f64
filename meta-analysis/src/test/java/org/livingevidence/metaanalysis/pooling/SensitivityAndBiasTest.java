package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingevidence.metaanalysis.pooling.CloseTo.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.bias.EggerTest;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.sensitivity.CumulativeMetaAnalysis;
import org.livingevidence.metaanalysis.sensitivity.LeaveOneOut;
import org.livingevidence.metaanalysis.sensitivity.Refit;
import org.livingevidence.metaanalysis.sensitivity.SubgroupAnalysis;

/** Egger, leave-one-out, cumulative, subgroups and Mantel-Haenszel on dat.bcg, against metafor. */
class SensitivityAndBiasTest {

    private static final JsonNode FIXTURE = MetaforFixtures.load("sensitivity");
    private static final List<StudyEffect> BCG = MetaforFixtures.studies(FIXTURE);
    private static final Refit REML = new Refit(Tau2Method.REML, CiMethod.WALD, 0.95);

    @Test
    void eggerMatchesRegtestLm() {
        EggerTest.Result egger = EggerTest.test(BCG);
        JsonNode expected = FIXTURE.get("egger");

        assertClose("t", egger.statistic(), expected.get("statistic"));
        assertClose("p", egger.pValue(), expected.get("p"));
        assertThat(egger.df()).isEqualTo(expected.get("df").asInt());
        assertClose("limit estimate", egger.limitEstimate(), expected.get("limitEstimate"));
        assertThatThrownBy(() -> EggerTest.test(BCG.subList(0, 2))).hasMessageContaining("at least 3");
    }

    @Test
    void leaveOneOutMatchesLeave1out() {
        List<LeaveOneOut.Omission> omissions = LeaveOneOut.run(BCG, REML);
        assertThat(omissions).hasSize(FIXTURE.get("leaveOneOut").size()).hasSize(BCG.size());
        for (int i = 0; i < omissions.size(); i++) {
            RandomEffectsResult r = omissions.get(i).result();
            JsonNode expected = FIXTURE.get("leaveOneOut").get(i);
            assertThat(omissions.get(i).omitted()).isEqualTo("s" + (i + 1));
            assertClose("estimate " + i, r.pooled().estimate(), expected.get("estimate"));
            assertClose("se " + i, r.pooled().standardError(), expected.get("se"));
            assertClose("ci lower " + i, r.pooled().ciLower(), expected.get("ciLower"));
            assertClose("p " + i, r.pooled().pValue(), expected.get("p"));
            assertClose("tau2 " + i, r.tau2().tau2(), expected.get("tau2"));
            assertClose("Q " + i, r.heterogeneity().q(), expected.get("q"));
            assertClose("I2 " + i, r.heterogeneity().iSquared(), expected.get("iSquared"));
        }
    }

    @Test
    void cumulativeInPublicationOrderMatchesCumul() {
        List<StudyEffect> ordered = new ArrayList<>();
        FIXTURE.get("cumulativeOrder").forEach(i -> ordered.add(BCG.get(i.asInt())));
        List<CumulativeMetaAnalysis.Step> steps = CumulativeMetaAnalysis.run(ordered, REML);
        assertThat(steps).hasSize(FIXTURE.get("cumulative").size()).hasSize(BCG.size());
        for (int i = 0; i < steps.size(); i++) {
            RandomEffectsResult r = steps.get(i).result();
            JsonNode expected = FIXTURE.get("cumulative").get(i);
            assertClose("estimate " + i, r.pooled().estimate(), expected.get("estimate"));
            assertClose("se " + i, r.pooled().standardError(), expected.get("se"));
            assertClose("ci upper " + i, r.pooled().ciUpper(), expected.get("ciUpper"));
            assertClose("tau2 " + i, r.tau2().tau2(), expected.get("tau2"));
        }
    }

    @Test
    void subgroupDifferencesMatchQBetweenOverSeparateModels() {
        List<String> labels = new ArrayList<>();
        FIXTURE.get("studies").forEach(s -> labels.add(s.get("alloc").asText()));
        SubgroupAnalysis.Result result = SubgroupAnalysis.run(BCG, labels, REML);
        JsonNode expected = FIXTURE.get("subgroups");

        assertClose("Q between", result.qBetween(), expected.get("qBetween"));
        assertClose("p", result.pValue(), expected.get("p"));
        assertThat(result.df()).isEqualTo(expected.get("df").asInt());
        assertThat(result.subgroups()).hasSize(expected.get("groups").size());
        for (int g = 0; g < result.subgroups().size(); g++) {
            JsonNode group = expected.get("groups").get(g);
            assertThat(result.subgroups().get(g).label()).isEqualTo(group.get("group").asText());
            assertClose("subgroup estimate " + g, result.subgroups().get(g).result().pooled().estimate(), group.get("estimate"));
            assertClose("subgroup tau2 " + g, result.subgroups().get(g).result().tau2().tau2(), group.get("tau2"));
        }
    }

    @Test
    void mantelHaenszelMatchesRmaMh() {
        List<MantelHaenszel.Table> tables = new ArrayList<>();
        FIXTURE.get("studies").forEach(s -> tables.add(new MantelHaenszel.Table(s.get("id").asText(),
                s.get("tpos").asDouble(), s.get("tpos").asDouble() + s.get("tneg").asDouble(),
                s.get("cpos").asDouble(), s.get("cpos").asDouble() + s.get("cneg").asDouble())));
        for (JsonNode expected : FIXTURE.get("mantelHaenszel")) {
            TwoByTwoTable.Measure measure = TwoByTwoTable.Measure.valueOf(expected.get("measure").asText());
            MantelHaenszel.Result result = MantelHaenszel.pool(tables, measure, 0.95);
            assertClose(measure + " estimate", result.pooled().estimate(), expected.get("estimate"));
            assertClose(measure + " se", result.pooled().standardError(), expected.get("se"));
            assertClose(measure + " ci lower", result.pooled().ciLower(), expected.get("ciLower"));
            assertClose(measure + " z", result.pooled().zValue(), expected.get("z"));
            assertClose(measure + " Q", result.q(), expected.get("q"));
        }
    }
}
