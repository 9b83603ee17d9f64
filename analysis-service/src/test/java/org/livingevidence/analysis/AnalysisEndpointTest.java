package org.livingevidence.analysis;

import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TestJwts;

/** The stateless analysis endpoint reproduces published analyses from reported figures. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisEndpointTest implements RealInfrastructure {

    /** dat.bcg (Colditz et al. 1994) as events and totals per arm, with allocation method as subgroup. */
    private static final String BCG_STUDIES = """
                  {"label": "BCG s1", "year": 1948, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 4, "totalIntervention": 123, "eventsComparator": 11, "totalComparator": 139}},
                  {"label": "BCG s2", "year": 1949, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 6, "totalIntervention": 306, "eventsComparator": 29, "totalComparator": 303}},
                  {"label": "BCG s3", "year": 1960, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 3, "totalIntervention": 231, "eventsComparator": 11, "totalComparator": 220}},
                  {"label": "BCG s4", "year": 1977, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 62, "totalIntervention": 13598, "eventsComparator": 248, "totalComparator": 12867}},
                  {"label": "BCG s5", "year": 1973, "subgroup": "alternate", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 33, "totalIntervention": 5069, "eventsComparator": 47, "totalComparator": 5808}},
                  {"label": "BCG s6", "year": 1953, "subgroup": "alternate", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 180, "totalIntervention": 1541, "eventsComparator": 372, "totalComparator": 1451}},
                  {"label": "BCG s7", "year": 1973, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 8, "totalIntervention": 2545, "eventsComparator": 10, "totalComparator": 629}},
                  {"label": "BCG s8", "year": 1980, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 505, "totalIntervention": 88391, "eventsComparator": 499, "totalComparator": 88391}},
                  {"label": "BCG s9", "year": 1968, "subgroup": "random", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 29, "totalIntervention": 7499, "eventsComparator": 45, "totalComparator": 7277}},
                  {"label": "BCG s10", "year": 1961, "subgroup": "systematic", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 17, "totalIntervention": 1716, "eventsComparator": 65, "totalComparator": 1665}},
                  {"label": "BCG s11", "year": 1974, "subgroup": "systematic", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 186, "totalIntervention": 50634, "eventsComparator": 141, "totalComparator": 27338}},
                  {"label": "BCG s12", "year": 1969, "subgroup": "systematic", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 5, "totalIntervention": 2498, "eventsComparator": 3, "totalComparator": 2341}},
                  {"label": "BCG s13", "year": 1976, "subgroup": "systematic", "reported": {"form": "EVENTS_AND_TOTALS", "measure": "RR", "eventsIntervention": 27, "totalIntervention": 16913, "eventsComparator": 29, "totalComparator": 17854}}""";

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public java.util.Map<String, String> getProperties() {
        return propertiesWith(Map.of(
                "evidence.analyses.concurrency", "1",
                "evidence.analyses.queue", "1"));
    }

    private JsonNode analyse(String json) {
        return TestJson.parse(http.toBlocking().retrieve(
                HttpRequest.POST("/api/v1/analyses", json).contentType(MediaType.APPLICATION_JSON_TYPE)));
    }

    private static void close(JsonNode actual, double expected) {
        assertThat(actual.asDouble()).isCloseTo(expected, within(1e-6 * Math.abs(expected)));
    }

    private int status(io.micronaut.http.MutableHttpRequest<?> request) {
        try {
            return http.toBlocking().exchange(request, String.class).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    @Inject
    org.livingevidence.analysis.analyses.AnalysisCapacity capacity;

    @Test
    void whilePoolAndQueueAreFullARequestIsTurnedAwayBeforeItsBodyIsRead() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        // One slot and one queue place here: one task running, one waiting.
        capacity.executor().submit(() -> {
            running.countDown();
            return release.await(60, java.util.concurrent.TimeUnit.SECONDS);
        });
        assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        capacity.executor().submit(() -> release.await(60, java.util.concurrent.TimeUnit.SECONDS));
        try {
            // (The same paths with a trailing slash are refused by security: reads are named by their exact paths.)
            for (String path : java.util.List.of("/api/v1/analyses", "/api/v1/analyses/plots/forest.svg")) {
                // Not even JSON: read, it would be refused with 400; turned away first, it is 429.
                assertThat(status(HttpRequest.POST(path, "{").contentType(MediaType.APPLICATION_JSON_TYPE))).as(path).isEqualTo(429);
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void analysesBeyondCapacityAreTurnedAwayWith429() throws Exception {
        StringBuilder studies = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            studies.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"label\": \"S%d\", \"estimate\": %.4f, \"standardError\": %.4f, \"year\": %d}", i, -0.2 + Math.sin(i) * 0.3,
                    0.1 + (i % 7) * 0.02, 1990 + i % 30));
        }
        String request = "{\"measure\": \"HR\", \"tau2Estimator\": \"REML\", \"studies\": [" + studies + "]}";
        java.util.List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<String> retryAfter = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                done.add(clients.submit(() -> {
                    try {
                        statuses.add(http.toBlocking().exchange(HttpRequest.POST("/api/v1/analyses", request)
                                .contentType(MediaType.APPLICATION_JSON_TYPE), String.class).getStatus().getCode());
                    } catch (HttpClientResponseException e) {
                        statuses.add(e.getStatus().getCode());
                        String wait = e.getResponse().getHeaders().get("Retry-After");
                        retryAfter.add(wait);
                        String body = e.getResponse().getBody(String.class).orElse("");
                        assertThat(body).contains("too-many-requests").contains("retry in " + wait + " seconds");
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(statuses).contains(200, 429).allMatch(s -> s == 200 || s == 429);
        // Drawn per answer, from 2 to 4 seconds, so that the clients turned away together do not all return together.
        assertThat(retryAfter).isNotEmpty().allMatch(java.util.Set.of("2", "3", "4")::contains);
    }

    @Test
    void everyJwtDefectIsRefusedWith401EvenWhereReadsAreOpen() {
        String request = "{\"measure\": \"HR\", \"studies\": [{\"label\": \"A\", \"estimate\": -0.2, \"standardError\": 0.1}]}";
        TestJwts.defects().forEach((defect, token) -> {
            assertThat(status(HttpRequest.POST("/api/v1/analyses", request).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(token)))
                    .as(defect).isEqualTo(401);
            assertThat(status(HttpRequest.GET("/api/v1/questions/q_unknown/estimate").bearerAuth(token))).as(defect).isEqualTo(401);
        });
        assertThat(status(HttpRequest.POST("/api/v1/analyses", request).contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(TestJwts.valid("reader", java.util.List.of("READER"))))).isEqualTo(200);
        assertThat(status(HttpRequest.POST("/api/v1/analyses", request).contentType(MediaType.APPLICATION_JSON_TYPE))).isEqualTo(200);
    }

    @Test
    void reproducesMetaforsRemlAnalysisOfTheBcgTrialsFromTheirTwoByTwoTables() {
        JsonNode report = analyse("{\"measure\": \"RR\", \"tau2Estimator\": \"REML\", \"studies\": [" + BCG_STUDIES + "]}");

        // metafor 3.8.1: rma(yi, vi, method = "REML") on escalc(measure = "RR", ...) of dat.bcg.
        close(report.at("/randomEffects/estimate"), -0.71453234215814);
        close(report.at("/randomEffects/standardError"), 0.179781516105207);
        close(report.at("/heterogeneity/tau2"), 0.313243258136486);
        close(report.at("/heterogeneity/iSquared"), 92.2213845212691);
        close(report.at("/heterogeneity/tau2CiLower"), 0.119718361141264);
        close(report.at("/heterogeneity/tau2CiUpper"), 1.11147908406101);
        close(report.at("/predictionInterval/lower"), -1.8666922179029);
        close(report.at("/rileyPredictionInterval/upper"), 0.579311222606309);
        // rma.mh(measure = "RR") on the same tables.
        close(report.at("/mantelHaenszel/estimate"), -0.453709604683754);
        close(report.at("/mantelHaenszel/standardError"), 0.0393373668712944);
        assertThat(report.get("k").asInt()).isEqualTo(13);
        assertThat(report.at("/studies/0/derivation/method").asText()).contains("log risk ratio");
        assertThat(report.get("leaveOneOut")).hasSize(13);
        assertThat(report.get("cumulative")).hasSize(13);
        assertThat(report.at("/cumulative/0/study").asText()).isEqualTo("BCG s1");
        assertThat(report.at("/subgroups/groups")).hasSize(3);
        assertThat(report.at("/egger/df").asInt()).isEqualTo(11);
        assertThat(report.at("/conclusion/significant").asBoolean()).isTrue();
        assertThat(report.at("/conclusion/direction").asText()).isEqualTo("FAVOURS_INTERVENTION");
    }

    @Test
    void derivesSeedAbstractsAndRunsASequentialAnalysisOnRequest() {
        JsonNode report = analyse("""
                {"measure": "HR", "ciMethod": "HKSJ", "tsa": {"anticipatedEffect": 0.80, "power": 0.90},
                 "studies": [
                   {"label": "Shien 2025", "year": 2025, "reported": {"form": "RATIO_WITH_CI", "measure": "HR",
                    "estimate": 0.86, "lower": 0.69, "upper": 1.07, "ciLevel": 0.90}},
                   {"label": "Zou 2025", "year": 2025, "reported": {"form": "RATIO_WITH_P", "measure": "HR",
                    "estimate": 0.48, "pValue": 0.003}}]}""");

        close(report.at("/studies/1/standardError"), 0.2473160344829536);
        assertThat(report.at("/randomEffects/method").asText()).isEqualTo("RANDOM_DL_HKSJ");
        assertThat(report.at("/sequential/status").asText()).isEqualTo("NOT_YET_CONCLUSIVE");
        assertThat(report.at("/sequential/looks")).hasSize(2);
        // Far from the required information the futility wedge still lies on the harmful side (z > 0 for an HR).
        assertThat(report.at("/sequential/looks/1/futilityBoundary").asDouble()).isPositive();
        assertThat(report.at("/sequential/looks/1/futile").asBoolean()).isFalse();
        assertThat(report.at("/sequential/requiredEvents").asDouble()).isGreaterThan(844);
        assertThat(report.has("egger")).isFalse();
    }

    @Test
    void poolsSingleArmProportionsAndBackTransformsThem() {
        // The MDRT seed's subgroups (22/34, 5/9, 1/4); metafor: rma(method = "DL") on escalc("PLO"/"PFT"),
        // back-transformed with transf.ilogit and transf.ipft.hm (figures printed by generate-derivation-fixtures.R).
        String studies = """
                [{"label": "HR+/HER2-", "reported": {"form": "SINGLE_ARM_PROPORTION", "measure": "%1$s", "events": 22, "total": 34}},
                 {"label": "HER2+", "reported": {"form": "SINGLE_ARM_PROPORTION", "measure": "%1$s", "events": 5, "total": 9}},
                 {"label": "TNBC", "reported": {"form": "SINGLE_ARM_PROPORTION", "measure": "%1$s", "events": 1, "total": 4}}]""";
        JsonNode logit = analyse("{\"measure\": \"PLO\", \"studies\": " + String.format(studies, "PLO") + "}");
        JsonNode arcsine = analyse("{\"measure\": \"PFT\", \"studies\": " + String.format(studies, "PFT") + "}");

        close(logit.at("/randomEffects/estimate"), 0.391439303931863);
        close(logit.at("/heterogeneity/tau2"), 0.0180443829457107);
        close(logit.at("/randomEffects/naturalEstimate"), 0.596629134347971);
        close(logit.at("/randomEffects/naturalCiLower"), 0.440708181470189);
        close(arcsine.at("/randomEffects/estimate"), 0.873844477486417);
        close(arcsine.at("/randomEffects/naturalEstimate"), 0.598756224206386);
        close(arcsine.at("/randomEffects/naturalCiUpper"), 0.756744669008804);
        assertThat(logit.has("conclusion")).isFalse();

        // Against a reference proportion: metafor's rma(yi - qlogis(p0), vi, method = "DL") gives z and p.
        JsonNode against40 = analyse("{\"measure\": \"PLO\", \"benefitDirection\": \"HIGHER\", \"referenceProportion\": 0.4, \"studies\": "
                + String.format(studies, "PLO") + "}");
        close(against40.at("/conclusion/pValue"), 0.0131277596320636);
        close(against40.at("/conclusion/estimate"), 0.596629134347971);
        assertThat(against40.at("/conclusion/significant").asBoolean()).isTrue();
        assertThat(against40.at("/conclusion/direction").asText()).isEqualTo("FAVOURS_INTERVENTION");
        assertThat(against40.at("/conclusion/statement").asText()).contains("favours the intervention over the reference proportion 0.40");
        close(analyse("{\"measure\": \"PLO\", \"referenceProportion\": 0.5, \"studies\": " + String.format(studies, "PLO") + "}")
                .at("/conclusion/pValue"), 0.223104180554119);
    }

    /** The report carries what a living estimate of the same studies would: the new study, and the fragility index. */
    @Test
    void theReportSaysHowRobustTheConclusionIs() {
        JsonNode report = analyse("{\"measure\": \"RR\", \"tau2Estimator\": \"DL\", \"studies\": [" + BCG_STUDIES + "]}");
        JsonNode newStudy = report.at("/robustness/newStudy");
        assertThat(newStudy.get("change").asText()).isEqualTo("BECOMES_NON_SIGNIFICANT");
        assertThat(newStudy.get("statement").asText()).contains("new study showing RR 1.00");
        java.util.List<org.livingevidence.metaanalysis.pooling.StudyEffect> effects = new java.util.ArrayList<>();
        report.get("studies").forEach(s -> effects.add(new org.livingevidence.metaanalysis.pooling.StudyEffect(s.get("label").asText(),
                s.get("estimate").asDouble(), Math.pow(s.get("standardError").asDouble(), 2))));
        var model = new org.livingevidence.metaanalysis.robustness.NewStudyThreshold.Model(true,
                org.livingevidence.metaanalysis.pooling.Tau2Method.DL, org.livingevidence.metaanalysis.pooling.CiMethod.WALD, 0.05);
        var expected = org.livingevidence.metaanalysis.robustness.NewStudyThreshold.of(effects, model);
        if (expected.maxStandardError() == null) {
            assertThat(newStudy.has("maxStandardError")).isFalse();
        } else {
            close(newStudy.get("maxStandardError"), expected.maxStandardError());
        }
        JsonNode fragility = report.at("/robustness/fragility");
        assertThat(fragility.get("participants").asInt()).isEqualTo(357_347);
        assertThat(fragility.get("maxChanges").asInt()).isEqualTo(20);
        assertThat(fragility.get("statement").asText()).isNotBlank();
        // Given as estimates and SEs, the same studies have no events and totals: no fragility index.
        StringBuilder asEstimates = new StringBuilder();
        report.get("studies").forEach(s -> asEstimates.append(asEstimates.isEmpty() ? "" : ",").append(String.format(java.util.Locale.ROOT,
                "{\"label\": \"%s\", \"estimate\": %s, \"standardError\": %s}", s.get("label").asText(), s.get("estimate").asText(),
                s.get("standardError").asText())));
        JsonNode withoutCounts = analyse("{\"measure\": \"RR\", \"studies\": [" + asEstimates + "]}");
        assertThat(withoutCounts.at("/robustness/newStudy").isObject()).isTrue();
        assertThat(withoutCounts.at("/robustness/fragility").isMissingNode()).isTrue();
    }

    /** The same analysis as a forest plot: a row per study, both models, the plot's security headers. */
    @Test
    void anAnalysisIsDrawnAsAForestPlot() throws Exception {
        io.micronaut.http.HttpResponse<String> plot = http.toBlocking().exchange(HttpRequest.POST("/api/v1/analyses/plots/forest.svg",
                "{\"measure\": \"RR\", \"tau2Estimator\": \"REML\", \"studies\": [" + BCG_STUDIES + "]}")
                .contentType(MediaType.APPLICATION_JSON_TYPE), String.class);
        assertThat(plot.getContentType().orElseThrow().toString()).startsWith("image/svg+xml");
        assertThat(plot.header("X-Content-Type-Options")).isEqualTo("nosniff");
        org.w3c.dom.Document svg = org.livingevidence.analysis.plots.ForestPlotTest.parse(plot.body());
        assertThat(svg.getElementsByTagName("desc").item(0).getTextContent()).startsWith("Forest plot of 13 studies. Random effects (REML): RR ");
        assertThat(org.livingevidence.analysis.plots.ForestPlotTest.texts(svg)).contains("BCG s1", "BCG s13", "Fixed effect", "Prediction interval");
    }

    @Test
    void aReferenceProportionIsForPloOnly() {
        try {
            analyse("""
                    {"measure": "HR", "referenceProportion": 0.5, "studies": [{"label": "a", "estimate": -0.2, "standardError": 0.1}]}""");
            throw new AssertionError("expected 422");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(422);
            JsonNode problem = TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
            assertThat(problem.at("/errors/0/field").asText()).isEqualTo("referenceProportion");
        }
    }

    @Test
    void refusesBadStudiesNamingTheField() {
        try {
            http.toBlocking().retrieve(HttpRequest.POST("/api/v1/analyses", """
                    {"measure": "HR", "studies": [{"label": "a", "estimate": -0.2, "standardError": 0.1},
                                                  {"label": "b", "estimate": -0.1, "standardError": -1}]}""")
                    .contentType(MediaType.APPLICATION_JSON_TYPE));
            throw new AssertionError("expected 422");
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(422);
            JsonNode problem = TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
            assertThat(problem.at("/errors/0/field").asText()).isEqualTo("studies[1].standardError");
        }
    }

    @Test
    void aSingleStudyIsReportedWithoutHeterogeneity() {
        JsonNode report = analyse("""
                {"measure": "HR", "studies": [{"label": "only", "estimate": -0.15, "standardError": 0.13}]}""");

        assertThat(report.get("k").asInt()).isEqualTo(1);
        assertThat(report.at("/heterogeneity/tau2").asDouble()).isZero();
        assertThat(report.has("predictionInterval")).isFalse();
        assertThat(report.at("/studies/0/weightRandom").asDouble()).isEqualTo(100.0);
    }

    @Test
    void theOpenApiDocumentIsGeneratedFromTheCodeAndServedWithSwaggerUi() {
        String openApi = http.toBlocking().retrieve("/swagger/analysis-service-openapi.yml");
        assertThat(openApi).contains("/api/v1/analyses", "/api/v1/questions/{questionId}/estimate");
        assertThat(http.toBlocking().retrieve("/swagger-ui/index.html")).contains("analysis-service-openapi.yml");
    }
}
