package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingevidence.metaanalysis.pooling.CloseTo.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every tau² estimator with Wald and HKSJ intervals, prediction intervals and the Q-profile CI, against metafor. */
class RandomEffectsTest {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : List.of("bcg", "normand1999", "seed-two", "homogeneous", "equal-variances", "single")) {
            JsonNode fixture = MetaforFixtures.load("re-" + name);
            for (JsonNode result : fixture.get("results")) {
                cases.add(Arguments.of(name + " " + result.get("method").asText() + " " + result.get("test").asText(), fixture, result));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesMetafor(String label, JsonNode fixture, JsonNode expected) {
        CiMethod ci = expected.get("test").asText().equals("knha") ? CiMethod.HKSJ : CiMethod.WALD;
        RandomEffectsResult result = RandomEffects.fit(MetaforFixtures.studies(fixture),
                Tau2Method.valueOf(expected.get("method").asText()), ci, 0.95);

        assertThat(result.tau2().converged()).as(label + " converged").isTrue();
        assertClose(label + " tau2", result.tau2().tau2(), expected.get("tau2"));
        assertClose(label + " estimate", result.pooled().estimate(), expected.get("estimate"));
        assertClose(label + " se", result.pooled().standardError(), expected.get("se"));
        assertClose(label + " ci lower", result.pooled().ciLower(), expected.get("ciLower"));
        assertClose(label + " ci upper", result.pooled().ciUpper(), expected.get("ciUpper"));
        assertClose(label + " statistic", result.pooled().zValue(), expected.get("statistic"));
        assertClose(label + " p", result.pooled().pValue(), expected.get("p"));
        if (result.k() > 1) {
            assertClose(label + " I2", result.heterogeneity().iSquared(), expected.get("iSquared"));
            assertClose(label + " H2", result.heterogeneity().hSquared(), expected.get("hSquared"));
            assertClose(label + " pi lower", result.predictionInterval().lower(), expected.get("piLower"));
            assertClose(label + " pi upper", result.predictionInterval().upper(), expected.get("piUpper"));
        }
        if (expected.has("rileyLower")) {
            assertClose(label + " riley lower", result.rileyPredictionInterval().lower(), expected.get("rileyLower"));
            assertClose(label + " riley upper", result.rileyPredictionInterval().upper(), expected.get("rileyUpper"));
        }
        if (expected.has("tau2CiLower")) {
            assertClose(label + " tau2 ci lower", result.tau2ConfidenceInterval().lower(), expected.get("tau2CiLower"));
            assertClose(label + " tau2 ci upper", result.tau2ConfidenceInterval().upper(), expected.get("tau2CiUpper"));
        }
    }

    /** The search path (no interval, no tail) gives metafor's estimate, SE, statistic and p. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTestAloneMatchesMetafor(String label, JsonNode fixture, JsonNode expected) {
        CiMethod ci = expected.get("test").asText().equals("knha") ? CiMethod.HKSJ : CiMethod.WALD;
        List<StudyEffect> studies = MetaforFixtures.studies(fixture);
        double[] y = studies.stream().mapToDouble(StudyEffect::estimate).toArray();
        double[] v = studies.stream().mapToDouble(StudyEffect::variance).toArray();
        SignificanceTest test = RandomEffects.test(y, v, Tau2Method.valueOf(expected.get("method").asText()), ci);
        assertClose(label + " estimate", test.estimate(), expected.get("estimate"));
        assertClose(label + " se", test.standardError(), expected.get("se"));
        assertClose(label + " statistic", test.statistic(), expected.get("statistic"));
        assertClose(label + " p", test.pValue(), expected.get("p"));
    }

    @Test
    void oneStudyHasNoHeterogeneityAndHksjFallsBackToWaldSayingSo() {
        RandomEffectsResult result = RandomEffects.fit(List.of(new StudyEffect("a", -0.15, 0.0178)), Tau2Method.REML, CiMethod.HKSJ, 0.95);

        assertThat(result.tau2().tau2()).isZero();
        assertThat(result.predictionInterval()).isNull();
        assertThat(result.tau2ConfidenceInterval()).isNull();
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("Wald interval was used"));
    }

    @Test
    void identicalStudiesGiveZeroTau2AndAFiniteHksjInterval() {
        List<StudyEffect> same = List.of(new StudyEffect("a", -0.3, 0.04), new StudyEffect("b", -0.3, 0.04),
                new StudyEffect("c", -0.3, 0.04));
        for (Tau2Method method : Tau2Method.values()) {
            RandomEffectsResult result = RandomEffects.fit(same, method, CiMethod.HKSJ, 0.95);
            assertThat(result.tau2().tau2()).as(method.name()).isZero();
            assertThat(result.pooled().ciUpper() - result.pooled().ciLower()).as(method.name()).isPositive().isFinite();
            assertThat(result.tau2ConfidenceInterval().lower()).isZero();
        }
    }

    @Test
    void extremeHeterogeneityStillConvergesForEveryEstimator() {
        List<StudyEffect> wild = List.of(new StudyEffect("a", -3, 1e-4), new StudyEffect("b", 3, 1e-4),
                new StudyEffect("c", 0, 5), new StudyEffect("d", 10, 1e-3));
        for (Tau2Method method : Tau2Method.values()) {
            RandomEffectsResult result = RandomEffects.fit(wild, method, CiMethod.WALD, 0.95);
            assertThat(result.tau2().tau2()).as(method.name()).isPositive().isFinite();
            assertThat(result.pooled().estimate()).as(method.name()).isFinite();
        }
    }
}
