package org.livingevidence.metaanalysis.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;

class TrialSequentialAnalysisTest {

    @Test
    void boundariesMatchRpactsLanDeMetsOBrienFlemingDesigns() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/metafor/sequential-boundaries.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : fixture.get("cases")) {
            double[] fractions = new double[c.get("fractions").size()];
            for (int i = 0; i < fractions.length; i++) {
                fractions[i] = c.get("fractions").get(i).asDouble();
            }
            List<Double> boundaries = GroupSequentialBoundaries.obrienFleming(fractions, c.get("alpha").asDouble());
            for (int i = 0; i < fractions.length; i++) {
                JsonNode expected = c.get("boundaries").get(i);
                if (expected.isTextual()) {
                    // rpact reports Inf where the alpha to spend is below its tolerance (about 1e-8); ours is the
                    // finite boundary that spends it, which crosses with a null probability below that tolerance.
                    assertThat(2 * (1 - org.livingevidence.metaanalysis.pooling.StandardNormal.cdf(boundaries.get(i)))).isLessThan(1e-8);
                } else {
                    assertThat(boundaries.get(i)).as(c + " look " + i).isCloseTo(expected.asDouble(), within(2e-6 * expected.asDouble()));
                }
            }
        }
    }

    @Test
    void futilityBoundariesMatchRpactsBetaSpendingDesigns() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/metafor/sequential-futility.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : fixture.get("cases")) {
            int looks = c.get("fractions").size();
            double[] fractions = new double[looks];
            double[] efficacy = new double[looks];
            double[] opposite = new double[looks];
            for (int i = 0; i < looks; i++) {
                fractions[i] = c.get("fractions").get(i).asDouble();
                efficacy[i] = c.get("efficacy").get(i).asDouble();
                opposite[i] = Double.NEGATIVE_INFINITY;
            }
            double[] futility = GroupSequentialBoundaries.betaSpendingFutility(fractions, efficacy, opposite,
                    c.get("drift").asDouble(), c.get("beta").asDouble());
            for (int i = 0; i < looks - 1; i++) {
                double expected = c.get("futility").get(i).asDouble();
                assertThat(futility[i]).as(c + " look " + i).isCloseTo(expected, within(1e-6 * Math.max(Math.abs(expected), 1e-3)));
            }
            assertThat(futility[looks - 1]).as("no futility boundary once the required information is reached").isNaN();
        }
    }

    @Test
    void requiredInformationForAHazardRatioIsExpressedInEvents() {
        // HR 0.80, alpha 0.05, power 0.90, no heterogeneity: (1.96 + 1.2816)² / ln(0.8)² = 211.0 information, 844 events.
        double information = RequiredInformation.information(Math.log(0.8), 0.05, 0.90, 0);

        assertThat(information).isCloseTo(211.0219, within(0.001));
        assertThat(RequiredInformation.hazardRatioEvents(information)).isCloseTo(844.0876, within(0.001));
        assertThat(RequiredInformation.information(Math.log(0.8), 0.05, 0.90, 0.5)).isCloseTo(2 * information, within(1e-9));
    }

    @Test
    void aLargeConsistentEffectCrossesTheBoundary() {
        List<StudyEffect> studies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            studies.add(new StudyEffect("s" + i, Math.log(0.7), 0.04));
        }
        TrialSequentialAnalysis.Result result = TrialSequentialAnalysis.run(studies, new TsaSettings(Math.log(0.8), 0.05, 0.9, null),
                Tau2Method.DL);

        assertThat(result.status()).isEqualTo(TrialSequentialAnalysis.Status.FIRM_EVIDENCE_OF_EFFECT);
        assertThat(result.looks().get(0).crossed()).isFalse();
        assertThat(result.looks()).anyMatch(TrialSequentialAnalysis.Look::crossed);
        assertThat(result.diversity()).isZero();
    }

    @Test
    void aSmallNonSignificantMetaAnalysisIsNotYetConclusive() {
        List<StudyEffect> studies = List.of(new StudyEffect("a", Math.log(0.86), 0.0178), new StudyEffect("b", Math.log(0.95), 0.05));
        TrialSequentialAnalysis.Result result = TrialSequentialAnalysis.run(studies, new TsaSettings(Math.log(0.8), 0.05, 0.9, null),
                Tau2Method.DL);

        assertThat(result.status()).isEqualTo(TrialSequentialAnalysis.Status.NOT_YET_CONCLUSIVE);
        assertThat(result.informationFraction()).isBetween(0.0, 1.0);
    }

    @Test
    void reachingTheRequiredInformationWithoutCrossingIsEvidenceAgainstTheAnticipatedEffect() {
        List<StudyEffect> studies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            studies.add(new StudyEffect("s" + i, i % 2 == 0 ? 0.02 : -0.02, 0.02));
        }
        TrialSequentialAnalysis.Result result = TrialSequentialAnalysis.run(studies, new TsaSettings(Math.log(0.8), 0.05, 0.9, 0.0),
                Tau2Method.DL);

        assertThat(result.accruedInformation()).isGreaterThan(result.requiredInformation());
        assertThat(result.status()).isEqualTo(TrialSequentialAnalysis.Status.FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT);
    }

    @Test
    void aNullResultEntersTheFutilityWedgeBeforeTheRequiredInformation() {
        // Required information for HR 0.80 (alpha 0.05, power 0.90, D² = 0) is 211; each study brings 50.
        List<StudyEffect> studies = List.of(new StudyEffect("a", 0.01, 0.02), new StudyEffect("b", -0.01, 0.02),
                new StudyEffect("c", 0.005, 0.02));
        TrialSequentialAnalysis.Result result = TrialSequentialAnalysis.run(studies, new TsaSettings(Math.log(0.8), 0.05, 0.9, 0.0),
                Tau2Method.DL);

        TrialSequentialAnalysis.Look first = result.looks().get(0);
        TrialSequentialAnalysis.Look last = result.looks().get(2);
        assertThat(result.informationFraction()).isBetween(0.7, 0.72);
        // Early on the wedge lies beyond the null on the harmful side (z > 0 for a hazard ratio), so no futility yet.
        assertThat(first.futilityBoundary()).isPositive();
        assertThat(first.futile()).isFalse();
        // By 71% of the information it has moved past the null towards the anticipated benefit: z near 0 is futile.
        assertThat(last.futilityBoundary()).isNegative();
        assertThat(last.futile()).isTrue();
        assertThat(last.crossed()).isFalse();
        assertThat(result.status()).isEqualTo(TrialSequentialAnalysis.Status.FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT);
    }

    @Test
    void theFutilityWedgeEndsAtTheRequiredInformation() {
        List<StudyEffect> studies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            studies.add(new StudyEffect("s" + i, -0.1, 0.02));
        }
        TrialSequentialAnalysis.Result result = TrialSequentialAnalysis.run(studies, new TsaSettings(Math.log(0.8), 0.05, 0.9, 0.0),
                Tau2Method.DL);

        assertThat(result.looks().get(3).informationFraction()).isLessThan(1);
        assertThat(result.looks().get(3).futilityBoundary()).isNotNull();
        assertThat(result.looks().get(4).informationFraction()).isGreaterThan(1);
        assertThat(result.looks().get(4).futilityBoundary()).isNull();
        assertThat(result.looks().get(4).futile()).isFalse();
    }
}
