package org.livingevidence.analysis;


import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.testing.EventPublisher;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.TopicReader.ConsumedRecord;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisServiceTest implements RealInfrastructure {

    @Inject
    @Client("/")
    HttpClient http;

    private EventPublisher events;
    private final String group = "analysis-" + UUID.randomUUID();

    @Override
    public java.util.Map<String, String> getProperties() {
        return propertiesWith(Map.of(
                "kafka.consumer-group", group));
    }

    @BeforeAll
    void producer() {
        events = new EventPublisher(infrastructure().kafkaBootstrapServers());
        ServiceReadiness.await(http);
    }

    @AfterAll
    void closeProducer() {
        events.close();
    }

    private static JsonNode json(ConsumedRecord r) {
        return TestJson.parse(r.value());
    }

    private static Predicate<ConsumedRecord> of(String questionId) {
        return r -> questionId.equals(r.key());
    }

    @Test
    void aRecordWithoutCloudEventHeadersIsDeadLetteredAndConsumptionGoesOn() {
        // What `echo '{}' | kcat -P -t evidence.questions.v1 -k x` writes: no headers, not an event.
        EventPublisher.publishRaw(infrastructure().kafkaBootstrapServers(), Topics.QUESTIONS, "x", "{}".getBytes(), java.util.Map.of());
        EventPublisher.publishRaw(infrastructure().kafkaBootstrapServers(), Topics.OUTCOME_RECORDS, "x", new byte[] {(byte) 0xff, 0, 1},
                java.util.Map.of("ce_specversion", "1.0", "ce_type", "org.livingevidence.no-such.v1", "ce_id", "1", "ce_source", "/x"));
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, "RANDOM"), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.80, 0.60, 1.07), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES);
             TopicReader deadLetters = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.DEAD_LETTERS)) {
            assertThat(estimates.await(1, of(q), Duration.ofSeconds(30))).hasSize(1);
            List<ConsumedRecord> letters = deadLetters.await(2, r -> TestJson.parse(r.value()).get("consumerGroup").asText()
                    .equals(group), Duration.ofSeconds(30));
            assertThat(letters).extracting(r -> TestJson.parse(r.value()).get("reason").asText())
                    .containsExactlyInAnyOrder("NOT_A_CLOUD_EVENT", "UNKNOWN_TYPE");
            letters.forEach(r -> assertThat(EventSchemas.violations(EventType.DEAD_LETTER_RECORDED, TestJson.parse(r.value()))).isEmpty());
            JsonNode garbage = letters.stream().map(r -> TestJson.parse(r.value()))
                    .filter(j -> j.get("reason").asText().equals("NOT_A_CLOUD_EVENT")).findFirst().orElseThrow();
            assertThat(garbage.get("topic").asText()).isEqualTo(Topics.QUESTIONS);
            assertThat(garbage.get("key").asText()).isEqualTo("x");
            assertThat(garbage.get("value").asText()).isEqualTo("{}");
            JsonNode binary = letters.stream().map(r -> TestJson.parse(r.value()))
                    .filter(j -> j.get("reason").asText().equals("UNKNOWN_TYPE")).findFirst().orElseThrow();
            assertThat(binary.get("valueEncoding").asText()).isEqualTo("BASE64");
            assertThat(java.util.Base64.getDecoder().decode(binary.get("value").asText())).containsExactly((byte) 0xff, 0, 1);

            // Operators see them, and re-driving what is still garbage says why it still fails.
            String listed = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/api/v1/admin/dead-letters?status=OPEN")
                    .bearerAuth(org.livingevidence.testing.TestInfrastructure.ADMIN_API_KEY));
            assertThat(TestJson.parse(listed)).extracting(d -> d.at("/event/deadLetterId").asText()).contains(garbage.get("deadLetterId").asText());
            try {
                http.toBlocking().exchange(io.micronaut.http.HttpRequest.POST("/api/v1/admin/dead-letters/"
                        + garbage.get("deadLetterId").asText() + "/redrive", "").bearerAuth(org.livingevidence.testing.TestInfrastructure.ADMIN_API_KEY));
                throw new AssertionError("expected 422");
            } catch (HttpClientResponseException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(422);
                assertThat(e.getResponse().getBody(String.class).orElse("")).contains("still cannot be read");
            }
        }
    }

    @Test
    void estimatesEveryChangeAndRaisesAShiftOnlyWhenTheConclusionChanges() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, "RANDOM"), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.80, 0.60, 1.07), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES);
             TopicReader shifts = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.CONCLUSION_SHIFTS)) {
            List<ConsumedRecord> first = estimates.await(1, of(q), Duration.ofSeconds(30));
            assertThat(first).hasSize(1);
            JsonNode one = json(first.get(0));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, one)).isEmpty();
            assertThat(first.get(0).headers()).containsEntry("ce_type", EventType.POOLED_ESTIMATE_COMPUTED.ceType());
            assertThat(one.at("/conclusion/significant").asBoolean()).isFalse();
            assertThat(one.at("/k").asInt()).isEqualTo(1);
            assertThat(one.get("questionTitle").asText()).isEqualTo("Test question " + q);

            events.publish(TestEvents.hr(q, "b", 1, 0.70, 0.55, 0.89), q);
            List<ConsumedRecord> shifted = shifts.await(1, of(q), Duration.ofSeconds(30));
            assertThat(shifted).hasSize(1);
            JsonNode shift = json(shifted.get(0));
            assertThat(EventSchemas.violations(EventType.CONCLUSION_SHIFTED, shift)).isEmpty();
            assertThat(shift.get("questionTitle").asText()).isEqualTo("Test question " + q);
            // Significant now, so no longer downgraded for imprecision: certainty rises with it.
            assertThat(shift.get("shiftTypes")).extracting(JsonNode::asText).containsExactly("SIGNIFICANCE_FLIP", "CERTAINTY_CHANGE");
            assertThat(shift.get("before").get("estimate").asDouble()).isEqualTo(shift.get("previous").get("estimate").asDouble());
            assertThat(shift.get("summary").asText()).startsWith("Pooled HR 0.")
                    .contains("), significant, favours the intervention, since Study b was added; just before, it was 0.80 (95% CI 0.60 to 1.07, p = ")
                    .contains("), not significant, favours the intervention. ")
                    .doesNotContain("last shift")
                    .contains("A new study showing HR 1.00 with a standard error of the log HR below 0.1")
                    .endsWith("events) would make this non-significant.");

            events.publish(TestEvents.hr(q, "c", 1, 0.75, 0.60, 0.94), q);
            assertThat(estimates.await(3, of(q), Duration.ofSeconds(30))).hasSize(3);
            // A redelivered record changes nothing; the next real change is estimate 4.
            events.publish(TestEvents.hr(q, "b", 1, 0.70, 0.55, 0.89), q);
            events.publish(TestEvents.hr(q, "c", 2, 0.76, 0.61, 0.95), q);
            List<ConsumedRecord> all = estimates.await(4, of(q), Duration.ofSeconds(30));
            assertThat(all).hasSize(4);
            JsonNode fourth = json(all.get(3));
            assertThat(fourth.get("estimateVersion").asLong()).isEqualTo(4);
            assertThat(fourth.at("/trigger/id").asText()).isEqualTo("c");
            assertThat(fourth.at("/trigger/revision").asLong()).isEqualTo(2);
            assertThat(shifts.readFor(Duration.ofSeconds(2), of(q))).hasSize(1);

            JsonNode latest = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimate"));
            assertThat(latest.get("estimateVersion").asLong()).isEqualTo(4);
            assertThat(latest.get("k").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aSingleArmProportionIsJudgedAgainstTheQuestionsReferenceProportion() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.proportionQuestion(q, 0.45), q);
        events.publish(TestEvents.proportion(q, "mdrt", 28, 47), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            List<ConsumedRecord> published = estimates.await(1, of(q), Duration.ofSeconds(30));
            assertThat(published).hasSize(1);
            JsonNode estimate = json(published.get(0));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, estimate)).isEmpty();
            assertThat(estimate.get("scale").asText()).isEqualTo("LOGIT");
            // metafor: escalc("PLO", 28, 47) and rma(yi - qlogis(0.45), vi, method = "FE").
            assertThat(estimate.at("/fixedEffect/estimate").asDouble()).isCloseTo(0.3877655310087634, within(1e-9));
            assertThat(estimate.at("/fixedEffect/zValue").asDouble()).isCloseTo(1.9797314801567523, within(2e-6));
            assertThat(estimate.at("/conclusion/pValue").asDouble()).isCloseTo(0.0477337092819066, within(5e-8));
            assertThat(estimate.at("/conclusion/estimate").asDouble()).isCloseTo(28.0 / 47, within(1e-9));
            assertThat(estimate.at("/conclusion/ciLower").asDouble()).isCloseTo(0.4514546091700855, within(5e-7));
            assertThat(estimate.at("/conclusion/significant").asBoolean()).isTrue();
            assertThat(estimate.at("/conclusion/direction").asText()).isEqualTo("FAVOURS_INTERVENTION");
            assertThat(estimate.at("/conclusion/statement").asText()).contains("favours the intervention over the reference proportion 0.45");
        }
    }

    @Test
    void aRecordThatArrivesBeforeItsQuestionIsHeldUntilTheQuestionArrives() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.hr(q, "early", 1, 0.60, 0.45, 0.80), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            assertThat(estimates.readFor(Duration.ofSeconds(3), of(q))).isEmpty();
            events.publish(TestEvents.question(q, "FIXED"), q);
            List<ConsumedRecord> estimate = estimates.await(1, of(q), Duration.ofSeconds(30));
            assertThat(estimate).hasSize(1);
            assertThat(json(estimate.get(0)).at("/conclusion/model").asText()).isEqualTo("FIXED");
            assertThat(json(estimate.get(0)).at("/trigger/kind").asText()).isEqualTo("QUESTION");
            // The held record is a change this estimate reflects too: listed, so a NEW_STUDY alert names it.
            assertThat(json(estimate.get(0)).get("triggers")).extracting(t -> t.get("id").asText() + " " + t.get("change").asText())
                    .containsExactly("early ADDED", q + " REVISED");
        }
    }

    @Test
    void theQuestionsEstimatorAndIntervalMethodAreUsed() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, "RANDOM", "REML", "HKSJ"), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.80, 0.60, 1.07), q);
        events.publish(TestEvents.hr(q, "b", 1, 0.50, 0.35, 0.71), q);
        events.publish(TestEvents.hr(q, "c", 1, 1.05, 0.80, 1.38), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            // Records that arrive together may share one estimate: wait for the one with all three.
            List<ConsumedRecord> all = estimates.await(1, r -> of(q).test(r) && json(r).get("k").asInt() == 3, Duration.ofSeconds(30));
            assertThat(all).hasSize(1);
            JsonNode third = json(all.get(0));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, third)).isEmpty();
            assertThat(third.at("/randomEffects/method").asText()).isEqualTo("RANDOM_REML_HKSJ");
            assertThat(third.at("/predictionInterval/convention").asText()).isEqualTo("METAFOR");
            // metafor 3.8.1: yi <- log(c(0.80, 0.50, 1.05)); sei <- (log(c(1.07, 0.71, 1.38)) - log(c(0.60, 0.35, 0.80))) / (2 * qnorm(0.975))
            // ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
            // m <- rma(yi, sei = sei, method = "REML", test = "knha", control = ctrl); predict(m)
            // confint(m, control = list(tol = 1e-12, tau2.max = 1e7))
            assertRelative(third.at("/randomEffects/estimate"), -0.276756788258242);
            assertRelative(third.at("/randomEffects/standardError"), 0.214635581606404);
            assertRelative(third.at("/randomEffects/ciLower"), -1.2002591593584);
            assertRelative(third.at("/randomEffects/ciUpper"), 0.646745582841918);
            assertRelative(third.at("/randomEffects/pValue"), 0.326247169197228);
            assertRelative(third.at("/heterogeneity/tau2"), 0.111443064442714);
            assertRelative(third.at("/predictionInterval/lower"), -1.98438147736714);
            assertRelative(third.at("/predictionInterval/upper"), 1.43086790085066);
            assertRelative(third.at("/tau2ConfidenceInterval/lower"), 0.0114637300575123);
            assertRelative(third.at("/tau2ConfidenceInterval/upper"), 5.53770622314796);
        }
    }

    @Test
    void aMinimalImportantDifferenceAndASequentialPlanShapeTheConclusionAndItsShifts() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, new org.livingevidence.contracts.events.AnalysisSettings(0.05,
                org.livingevidence.contracts.events.AnalysisSettings.Model.FIXED, org.livingevidence.contracts.events.AnalysisSettings.Tau2Estimator.DL,
                org.livingevidence.contracts.events.AnalysisSettings.CiMethod.WALD,
                0.90, new org.livingevidence.contracts.events.AnalysisSettings.SequentialPlan(0.80, 0.90))), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.85, 0.70, 1.03), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES);
             TopicReader shifts = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.CONCLUSION_SHIFTS)) {
            // One estimate per record: the second is published once the first estimate is out.
            assertThat(estimates.await(1, of(q), Duration.ofSeconds(30))).hasSize(1);
            events.publish(TestEvents.hr(q, "b", 1, 0.60, 0.52, 0.69), q);
            List<ConsumedRecord> both = estimates.await(2, of(q), Duration.ofSeconds(30));
            assertThat(both).hasSize(2);
            JsonNode first = json(both.get(0));
            JsonNode second = json(both.get(1));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, second)).isEmpty();
            assertThat(first.at("/conclusion/mid").asText()).isEqualTo("INCONCLUSIVE");
            assertThat(first.at("/conclusion/sequential").asText()).isEqualTo("NOT_YET_CONCLUSIVE");
            assertThat(second.at("/conclusion/mid").asText()).isEqualTo("IMPORTANT_BENEFIT");
            assertThat(second.at("/sequential/requiredEvents").asDouble()).isGreaterThan(800);
            assertThat(second.at("/sequential/futilityBoundary").isNumber()).isTrue();
            assertThat(first.at("/conclusion/certainty/level").asText()).isEqualTo("MODERATE");
            assertThat(first.at("/conclusion/certainty/reasons/0").asText()).contains("imprecision");
            // Two discordant randomised trials (Q = 8.13 on 1 df, so I² = 88%): inconsistent, and the
            // heterogeneity-adjusted required information is not reached.
            assertThat(second.at("/conclusion/sequential").asText()).isEqualTo("NOT_YET_CONCLUSIVE");
            assertThat(second.at("/conclusion/certainty/level").asText()).isEqualTo("LOW");
            assertThat(second.at("/conclusion/certainty/reasons")).extracting(JsonNode::asText)
                    .containsExactly("inconsistency: I² = 88%", "imprecision: the required information size is not yet reached");
            List<ConsumedRecord> shifted = shifts.await(1, of(q), Duration.ofSeconds(30));
            assertThat(shifted).hasSize(1);
            assertThat(json(shifted.get(0)).get("shiftTypes")).extracting(JsonNode::asText).contains("MID_CROSSING");
            assertThat(EventSchemas.violations(EventType.CONCLUSION_SHIFTED, json(shifted.get(0)))).isEmpty();
        }
    }

    @Test
    void everyEstimateSaysWhatNewStudyWouldChangeItAndABaselineRiskGivesItsEffectPer1000() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, new AnalysisSettings(0.05, AnalysisSettings.Model.RANDOM, AnalysisSettings.Tau2Estimator.DL,
                AnalysisSettings.CiMethod.WALD, null, null, null, new AnalysisSettings.BaselineRisk(0.30, "5 years"))), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.70, 0.55, 0.89), q);
        events.publish(TestEvents.hr(q, "b", 1, 0.80, 0.65, 0.98), q);

        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            JsonNode estimate = json(estimates.await(1, r -> of(q).test(r) && json(r).get("k").asInt() == 2, Duration.ofSeconds(30)).get(0));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, estimate)).isEmpty();
            assertThat(estimate.at("/conclusion/significant").asBoolean()).isTrue();

            // The new study: a null trial precise enough makes it non-significant, one just less precise does not.
            JsonNode newStudy = estimate.at("/robustness/newStudy");
            assertThat(newStudy.get("change").asText()).isEqualTo("BECOMES_NON_SIGNIFICANT");
            assertThat(newStudy.get("naturalEffect").asDouble()).isEqualTo(1.0);
            double se = newStudy.get("maxStandardError").asDouble();
            java.util.List<org.livingevidence.metaanalysis.pooling.StudyEffect> studies = new java.util.ArrayList<>();
            estimate.get("studies").forEach(s -> studies.add(new org.livingevidence.metaanalysis.pooling.StudyEffect(s.get("recordId").asText(),
                    s.get("estimate").asDouble(), Math.pow(s.get("standardError").asDouble(), 2))));
            for (double factor : new double[] {0.999, 1.001}) {
                java.util.List<org.livingevidence.metaanalysis.pooling.StudyEffect> withNull = new java.util.ArrayList<>(studies);
                withNull.add(new org.livingevidence.metaanalysis.pooling.StudyEffect("new", 0, Math.pow(se * factor, 2)));
                double p = org.livingevidence.metaanalysis.pooling.RandomEffects.pooled(withNull,
                        org.livingevidence.metaanalysis.pooling.Tau2Method.DL, org.livingevidence.metaanalysis.pooling.CiMethod.WALD, 0.95).pValue();
                assertThat(p < 0.05).as("p with a null study of SE x " + factor).isEqualTo(factor > 1);
            }
            assertThat(newStudy.get("events").asDouble()).isCloseTo(4 / (se * se), within(1e-6));
            assertThat(newStudy.get("statement").asText()).startsWith("A new study showing HR 1.00 with a standard error of the log HR below")
                    .contains("events").endsWith("would make this non-significant.");

            // Absolute effects at 300 per 1,000 over 5 years: 1 - 0.7^HR for the intervention group.
            JsonNode absolute = estimate.at("/robustness/absoluteEffect");
            double hr = estimate.at("/randomEffects/natural/estimate").asDouble();
            assertThat(absolute.get("comparatorPer1000").asDouble()).isCloseTo(300, within(1e-9));
            assertThat(absolute.get("interventionPer1000").asDouble()).isCloseTo(1000 * (1 - Math.pow(0.7, hr)), within(1e-9));
            assertThat(absolute.get("differenceUpperPer1000").asDouble())
                    .isCloseTo(1000 * (1 - Math.pow(0.7, estimate.at("/randomEffects/natural/ciUpper").asDouble())) - 300, within(1e-9));
            assertThat(absolute.get("statement").asText()).startsWith("For overall survival, at a baseline risk of 300 per 1,000 over 5 years:")
                    .contains("fewer per 1,000");
            assertThat(absolute.get("statedPer").asInt()).isEqualTo(1000);
            assertThat(absolute.get("outcome").asText()).isEqualTo("overall survival");
        }
        JsonNode summary = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/summary-of-findings"));
        assertThat(summary.at("/absoluteEffect/timeFrame").asText()).isEqualTo("5 years");
        assertThat(summary.get("studies").asInt()).isEqualTo(2);
        assertThat(summary.get("newStudy").asText()).contains("non-significant");
        String table = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/api/v1/questions/" + q + "/summary-of-findings")
                .accept(io.micronaut.http.MediaType.TEXT_PLAIN));
        assertThat(table).contains("| Relative effect (95% CI) |", "| HR 0.", "300 per 1,000 over 5 years", "fewer per 1,000", "| 2 |");
    }

    @Test
    void aQuestionWhoseRecordsGiveEventsAndTotalsCarriesItsFragilityIndex() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.riskRatioQuestion(q, new AnalysisSettings(0.05, AnalysisSettings.Model.RANDOM,
                AnalysisSettings.Tau2Estimator.DL, AnalysisSettings.CiMethod.WALD, null, null)), q);
        int[][] trials = {{15, 120, 28, 118}, {22, 150, 35, 152}, {9, 80, 18, 79}};
        for (int i = 0; i < trials.length; i++) {
            int[] t = trials[i];
            events.publish(TestEvents.eventsAndTotals(q, "t" + i, t[0], t[1], t[2], t[3]), q);
        }
        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            JsonNode estimate = json(estimates.await(1, r -> of(q).test(r) && json(r).get("k").asInt() == 3, Duration.ofSeconds(30)).get(0));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, estimate)).isEmpty();
            List<org.livingevidence.metaanalysis.robustness.FragilityIndex.Table> tables = java.util.Arrays.stream(trials)
                    .map(t -> new org.livingevidence.metaanalysis.robustness.FragilityIndex.Table(t[0], t[1], t[2], t[3])).toList();
            org.livingevidence.metaanalysis.robustness.FragilityIndex.Result expected = org.livingevidence.metaanalysis.robustness.FragilityIndex.of(
                    tables, org.livingevidence.metaanalysis.derivation.TwoByTwoTable.Measure.RR,
                    new org.livingevidence.metaanalysis.robustness.NewStudyThreshold.Model(true,
                            org.livingevidence.metaanalysis.pooling.Tau2Method.DL, org.livingevidence.metaanalysis.pooling.CiMethod.WALD, 0.05), 20);
            JsonNode fragility = estimate.at("/robustness/fragility");
            assertThat(expected.index()).isNotNull();
            assertThat(fragility.get("index").asInt()).isEqualTo(expected.index());
            assertThat(fragility.get("participants").asInt()).isEqualTo(699);
            assertThat(fragility.get("becomesSignificant").asBoolean()).isFalse();
            assertThat(fragility.get("statement").asText()).startsWith("The result would become non-significant if " + expected.index()
                    + " of the 699 participants");
        }
    }

    /**
     * A question with a minimal important difference says what new study would move its interval across it, and its
     * extended funnel plot's regions (against the null or the MID) agree with the engine's, row by row.
     */
    @Test
    void aMinimalImportantDifferenceGetsItsOwnNewStudyAndExtendedFunnel() {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, new AnalysisSettings(0.05, AnalysisSettings.Model.FIXED, AnalysisSettings.Tau2Estimator.DL,
                AnalysisSettings.CiMethod.WALD, 0.85, null)), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.62, 0.50, 0.77), q);
        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            // Two versions, one per record (records arriving together would make one estimate of both).
            estimates.await(1, of(q), Duration.ofSeconds(30));
            events.publish(TestEvents.hr(q, "b", 1, 0.70, 0.58, 0.85), q);
            JsonNode estimate = json(estimates.await(1, r -> of(q).test(r) && json(r).get("k").asInt() == 2, Duration.ofSeconds(30)).get(0));
            assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, estimate)).isEmpty();
            assertThat(estimate.at("/conclusion/mid").asText()).isEqualTo("IMPORTANT_BENEFIT");
            JsonNode forMid = estimate.at("/robustness/newStudyForMid");
            assertThat(forMid.get("becomes").asText()).isEqualTo("INCONCLUSIVE");
            assertThat(forMid.get("naturalEffect").asDouble()).isCloseTo(0.85, within(1e-12));
            assertThat(forMid.get("statement").asText()).startsWith("A new study showing HR 0.85 (the minimal important difference)")
                    .contains("would bring the interval onto the minimal important difference (HR 0.85)");
            assertThat(forMid.get("events").asDouble()).isCloseTo(4 / Math.pow(forMid.get("maxStandardError").asDouble(), 2), within(1e-6));
        }
        JsonNode funnel = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/extended-funnel?against=MID&rows=5&points=100"));
        assertThat(funnel.get("against").asText()).isEqualTo("MID");
        assertThat(funnel.get("reference").asDouble()).isCloseTo(0.85, within(1e-12));
        assertThat(funnel.get("rows")).hasSize(5);
        java.util.List<org.livingevidence.metaanalysis.pooling.StudyEffect> studies = new java.util.ArrayList<>();
        funnel.get("studies").forEach(s -> studies.add(new org.livingevidence.metaanalysis.pooling.StudyEffect(s.get("recordId").asText(),
                s.get("estimate").asDouble(), Math.pow(s.get("standardError").asDouble(), 2))));
        JsonNode last = funnel.get("rows").get(4);
        JsonNode segments = last.get("segments");
        var expected = org.livingevidence.metaanalysis.robustness.ExtendedFunnel.row(studies,
                new org.livingevidence.metaanalysis.robustness.NewStudyThreshold.Model(false,
                        org.livingevidence.metaanalysis.pooling.Tau2Method.DL, org.livingevidence.metaanalysis.pooling.CiMethod.WALD, 0.05),
                Math.log(0.85), last.get("standardError").asDouble(), segments.get(0).get("fromEffect").asDouble(),
                segments.get(segments.size() - 1).get("toEffect").asDouble(), 100);
        assertThat(segments).hasSize(expected.segments().size());
        for (int i = 0; i < segments.size(); i++) {
            assertThat(segments.get(i).get("status").asText()).isEqualTo(expected.segments().get(i).status().name());
            assertThat(segments.get(i).get("toEffect").asDouble()).isCloseTo(expected.segments().get(i).toEffect(), within(1e-9));
            assertThat(segments.get(i).get("naturalTo").asDouble()).isCloseTo(Math.exp(expected.segments().get(i).toEffect()), within(1e-9));
        }
        // Against the null by default; refused with the field named when the question has no such thing or the value is unknown.
        assertThat(TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/extended-funnel")).get("against").asText())
                .isEqualTo("NULL");
        assertProblem("/api/v1/questions/" + q + "/extended-funnel?against=TREND", "against");
        assertProblem("/api/v1/questions/" + q + "/extended-funnel?rows=100000", "rows");

        // The same estimate as a forest plot: valid SVG, one row per study, the pooled estimate in words for screen readers.
        io.micronaut.http.HttpResponse<String> plot = http.toBlocking().exchange("/api/v1/questions/" + q + "/plots/forest.svg", String.class);
        assertThat(plot.getContentType().orElseThrow().toString()).startsWith("image/svg+xml");
        assertThat(plot.header("Content-Security-Policy")).contains("default-src 'none'").contains("sandbox");
        assertThat(plot.header("X-Content-Type-Options")).isEqualTo("nosniff");
        org.w3c.dom.Document svg;
        try {
            svg = org.livingevidence.analysis.plots.ForestPlotTest.parse(plot.body());
        } catch (Exception e) {
            throw new AssertionError("not XML: " + e.getMessage());
        }
        assertThat(org.livingevidence.analysis.plots.ForestPlotTest.texts(svg)).contains("Study a", "Study b", "Fixed effect",
                "Favours intervention", "Favours comparator");
        assertThat(svg.getElementsByTagName("desc").item(0).getTextContent()).startsWith("Forest plot of 2 studies.");
        // Cumulative, in publication order: the last row is the estimate itself (this question pools by fixed effect).
        JsonNode latest = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimate"));
        try {
            List<String> cumulative = org.livingevidence.analysis.plots.ForestPlotTest.texts(org.livingevidence.analysis.plots.ForestPlotTest
                    .parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/plots/cumulative.svg")));
            assertThat(cumulative).contains("+ Study a (2025)", "+ Study b (2025)", String.format(java.util.Locale.ROOT, "%.2f (%.2f to %.2f)",
                    latest.at("/fixedEffect/natural/estimate").asDouble(), latest.at("/fixedEffect/natural/ciLower").asDouble(),
                    latest.at("/fixedEffect/natural/ciUpper").asDouble())).doesNotContain("Weight");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try {
            org.w3c.dom.Document funnelPlot = org.livingevidence.analysis.plots.ForestPlotTest.parse(
                    http.toBlocking().retrieve("/api/v1/questions/" + q + "/plots/funnel.svg"));
            assertThat(funnelPlot.getElementsByTagName("circle").getLength()).isEqualTo(2);
            assertThat(funnelPlot.getElementsByTagName("desc").item(0).getTextContent())
                    .startsWith("Contour-enhanced funnel plot of 2 studies;").endsWith("Egger's test not available.");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try {
            http.toBlocking().retrieve("/api/v1/questions/q_nothing/plots/forest.svg");
            throw new AssertionError("expected 404");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(404);
        }

        // Every version stays readable at its own URL, as published, with its own plot.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates")).size() >= 2);
        JsonNode versions = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates"));
        assertThat(versions.get(0).get("estimateVersion").asLong()).isGreaterThan(versions.get(1).get("estimateVersion").asLong());
        JsonNode oldest = versions.get(versions.size() - 1);
        assertThat(oldest.get("k").asInt()).isEqualTo(1);
        assertThat(oldest.at("/trigger/kind").asText()).isNotEmpty();
        assertThat(oldest.has("studies")).isFalse();
        long first = oldest.get("estimateVersion").asLong();
        JsonNode firstEstimate = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/" + first));
        assertThat(firstEstimate.get("k").asInt()).isEqualTo(1);
        assertThat(EventSchemas.violations(EventType.POOLED_ESTIMATE_COMPUTED, firstEstimate)).isEmpty();
        try {
            assertThat(org.livingevidence.analysis.plots.ForestPlotTest.parse(http.toBlocking().retrieve(
                    "/api/v1/questions/" + q + "/estimates/" + first + "/plots/forest.svg")).getElementsByTagName("desc").item(0)
                    .getTextContent()).startsWith("Forest plot of 1 study.");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        // The same plot as a PNG for email clients: Batik's rendering of the SVG at twice its width.
        io.micronaut.http.HttpResponse<byte[]> png = http.toBlocking().exchange(
                "/api/v1/questions/" + q + "/estimates/" + first + "/plots/forest.png", byte[].class);
        assertThat(png.getContentType().map(Object::toString)).hasValue("image/png");
        try {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
            String versionSvg = http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/" + first + "/plots/forest.svg");
            double width = Double.parseDouble(versionSvg.replaceAll("(?s).*?<svg[^>]* width=\"([0-9.]+)\".*", "$1"));
            assertThat(image.getWidth()).isEqualTo((int) Math.round(2 * width));
            // Not a blank canvas: the plot's dark ink is there.
            long dark = java.util.stream.IntStream.range(0, image.getWidth()).mapToLong(x -> java.util.stream.IntStream.range(0, image.getHeight())
                    .filter(y -> (image.getRGB(x, y) & 0xff) < 100).count()).sum();
            assertThat(dark).isGreaterThan(1_000);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates?limit=1"))).hasSize(1);
        try {
            org.w3c.dom.Document history = org.livingevidence.analysis.plots.ForestPlotTest.parse(
                    http.toBlocking().retrieve("/api/v1/questions/" + q + "/plots/history.svg"));
            assertThat(history.getElementsByTagName("circle").getLength()).isEqualTo(versions.size());
            assertThat(history.getElementsByTagName("desc").item(0).getTextContent())
                    .startsWith("Pooled HR over " + versions.size() + " estimate versions, from ");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try {
            http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/999");
            throw new AssertionError("expected 404");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(404);
        }
        assertProblem("/api/v1/questions/" + q + "/estimates?limit=0", "limit");
    }

    private void assertProblem(String uri, String field) {
        try {
            http.toBlocking().retrieve(uri);
            throw new AssertionError("expected a problem for " + uri);
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(422);
            assertThat(TestJson.parse(e.getResponse().getBody(String.class).orElseThrow()).at("/errors/0/field").asText()).isEqualTo(field);
        }
    }

    @Test
    void anEstimateVersionKeepsWhatWasFirstPublishedUnderIt() throws Exception {
        String q = "q_" + UUID.randomUUID().toString().substring(0, 8);
        events.publish(TestEvents.question(q, "RANDOM"), q);
        events.publish(TestEvents.hr(q, "a", 1, 0.80, 0.60, 1.07), q);
        JsonNode published;
        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            published = json(estimates.await(1, of(q), Duration.ofSeconds(30)).get(0));
        }
        long version = published.get("estimateVersion").asLong();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/" + version)).has("k"));

        // Redelivered, forged under the same version, and a new version: one batch of the history's consumer.
        var mapper = org.livingevidence.contracts.EventJson.mapper();
        var original = mapper.treeToValue(published, org.livingevidence.contracts.events.PooledEstimateComputed.class);
        var forged = mapper.treeToValue(((com.fasterxml.jackson.databind.node.ObjectNode) published.deepCopy())
                .put("questionTitle", "Forged"), org.livingevidence.contracts.events.PooledEstimateComputed.class);
        var next = mapper.treeToValue(((com.fasterxml.jackson.databind.node.ObjectNode) published.deepCopy())
                .put("estimateVersion", version + 100), org.livingevidence.contracts.events.PooledEstimateComputed.class);
        events.publish(original, q);
        events.publish(forged, q);
        events.publish(next, q);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/" + (version + 100))).has("k"));
        JsonNode kept = TestJson.parse(http.toBlocking().retrieve("/api/v1/questions/" + q + "/estimates/" + version));
        assertThat(kept.get("questionTitle").asText()).isEqualTo(published.get("questionTitle").asText());
        assertThat(kept).isEqualTo(published);
    }

    @Test
    void anUnknownQuestionHasNoEstimate() {
        try {
            http.toBlocking().retrieve("/api/v1/questions/q_nothing/estimate");
            throw new AssertionError("expected 404");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(404);
        }
    }

    private static void assertRelative(JsonNode actual, double metafor) {
        assertThat(actual.isNumber()).as("a number where metafor has %s", metafor).isTrue();
        assertThat(actual.asDouble()).isCloseTo(metafor, org.assertj.core.data.Offset.offset(Math.abs(metafor) * 1e-6));
    }
}
