package org.livingevidence.metaanalysis.pooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingevidence.metaanalysis.pooling.CloseTo.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class InverseVariancePoolingTest {

    static List<String> fixtures() {
        return MetaforFixtures.NAMES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesMetafor(String name) {
        JsonNode fixture = MetaforFixtures.load(name);
        MetaAnalysisResult result = InverseVariancePooling.pool(MetaforFixtures.studies(fixture), fixture.get("level").asDouble());

        assertPooled(name + " fixed", result.fixedEffect(), fixture.get("fixed"));
        assertPooled(name + " random", result.randomEffects(), fixture.get("random"));
        JsonNode het = fixture.get("heterogeneity");
        assertClose(name + " Q", result.heterogeneity().q(), het.get("q"));
        assertThat(result.heterogeneity().df()).isEqualTo(het.get("df").asInt());
        assertClose(name + " tau2", result.heterogeneity().tau2(), het.get("tau2"));
        if (result.k() > 1) {
            assertClose(name + " Q p", result.heterogeneity().pValue(), het.get("pValue"));
            assertClose(name + " I2", result.heterogeneity().iSquared(), het.get("iSquared"));
            assertClose(name + " H2", result.heterogeneity().hSquared(), het.get("hSquared"));
        } else {
            assertThat(result.heterogeneity().pValue()).isNull();
            assertThat(result.heterogeneity().iSquared()).isNull();
        }
        for (int i = 0; i < result.k(); i++) {
            assertClose(name + " fixed weight " + i, result.weights().get(i).fixedPercent(), fixture.get("weightsFixed").get(i));
            assertClose(name + " random weight " + i, result.weights().get(i).randomPercent(), fixture.get("weightsRandom").get(i));
        }
    }

    private static void assertPooled(String what, PooledEstimate actual, JsonNode expected) {
        assertClose(what + " estimate", actual.estimate(), expected.get("estimate"));
        assertClose(what + " se", actual.standardError(), expected.get("se"));
        assertClose(what + " ci lower", actual.ciLower(), expected.get("ciLower"));
        assertClose(what + " ci upper", actual.ciUpper(), expected.get("ciUpper"));
        assertClose(what + " z", actual.zValue(), expected.get("z"));
        assertClose(what + " p", actual.pValue(), expected.get("p"));
    }

    @Test
    void refusesAnEmptyAnalysisAndNonPositiveVariances() {
        assertThatThrownBy(() -> InverseVariancePooling.pool(List.of(), 0.95)).hasMessageContaining("at least one study");
        assertThatThrownBy(() -> new StudyEffect("a", 0.1, 0)).hasMessageContaining("variance");
        assertThatThrownBy(() -> new StudyEffect("a", Double.NaN, 0.1)).hasMessageContaining("estimate");
    }

    @Test
    void aSingleStudyWeighsExactlyOneHundredPercent() {
        MetaAnalysisResult result = InverseVariancePooling.pool(List.of(new StudyEffect("a", Math.log(0.8), 0.0219)), 0.95);

        assertThat(result.weights().get(0).fixedPercent()).isEqualTo(100.0);
        assertThat(result.weights().get(0).randomPercent()).isEqualTo(100.0);
    }
}
