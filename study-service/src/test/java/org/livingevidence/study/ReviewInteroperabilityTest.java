package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.study.outcomes.OutcomeRecordRepository;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;

/** Starting from a RevMan review, and taking a question's data to R and back to RevMan. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewInteroperabilityTest implements RealInfrastructure {

    private static final String HR_QUESTION = """
            {"title": "Local therapy for metastatic breast cancer: overall survival",
             "pico": {"population": "Metastatic breast cancer", "intervention": "Local therapy plus systemic therapy",
                      "comparator": "Systemic therapy alone", "outcome": "Overall survival"},
             "effectMeasure": "HR", "benefitDirection": "LOWER"}""";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    MongoDatabase database;

    private final String review = readExample();

    private static String readExample() {
        try {
            return Files.readString(Path.of(System.getProperty("evidence.repository.root", ".."), "docs/examples/revman/local-therapy-example.rm5"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void oneAnalysisOfAReviewImportsIntoAnExistingQuestionOnceTheUploadNamesIt() {
        String questionId = newQuestion(HR_QUESTION);
        JsonNode unnamed = problem(() -> post("/api/v1/questions/" + questionId + "/outcome-records/import", review, MediaType.APPLICATION_XML), 422);
        assertThat(unnamed.at("/errors/0/field").asText()).isEqualTo("analysis");
        assertThat(unnamed.at("/errors/0/message").asText()).contains("4 analyses", "1.1 Overall survival", "1.2 Death within three years");

        JsonNode report = TestJson.parse(post("/api/v1/questions/" + questionId + "/outcome-records/import?analysis=1.1", review,
                "application/vnd.cochrane.revman+xml").body());
        assertThat(report.get("accepted").asInt()).isEqualTo(3);
        JsonNode records = get("/api/v1/questions/" + questionId + "/outcome-records?sort=studyLabel");
        assertThat(records).extracting(r -> r.get("studyLabel").asText())
                .containsExactly("Shien 2025 (JCOG1017)", "Trial A 2019 (fictitious)", "Zou 2025");
        assertThat(records.get(2).at("/reported/form").asText()).isEqualTo("ESTIMATE_WITH_SE");
        assertThat(records.get(2).at("/derived/estimate").asDouble()).isCloseTo(Math.log(0.48), within(1e-15));
        assertThat(records.get(2).at("/source/table").asText()).isEqualTo("RevMan analysis 1.1 (Overall survival)");

        JsonNode again = TestJson.parse(post("/api/v1/questions/" + questionId + "/outcome-records/import?analysis=1.1", review,
                MediaType.APPLICATION_XML).body());
        assertThat(again.get("unchanged").asInt()).isEqualTo(3);

        // A dichotomous analysis cannot enter a hazard-ratio question: each row says why.
        JsonNode wrongMeasure = TestJson.parse(post("/api/v1/questions/" + questionId + "/outcome-records/import?analysis=1.2", review,
                MediaType.APPLICATION_XML).body());
        assertThat(wrongMeasure.get("rejected").asInt()).isEqualTo(4);
        assertThat(wrongMeasure.at("/rows/0/errors/0/field").asText()).isEqualTo("reported.measure");
    }

    @Test
    void aReviewIsListedWithoutStoringAnythingThenBecomesOneQuestionPerAnalysisAndAgainChangesNothing() {
        long questionsBefore = database.getCollection(QuestionRepository.COLLECTION).countDocuments();
        JsonNode listing = TestJson.parse(post("/api/v1/reviews/import", review, MediaType.APPLICATION_XML).body());
        assertThat(listing.get("title").asText()).contains("worked example");
        assertThat(listing.get("analyses")).extracting(a -> a.get("analysis").asText()).containsExactly("1.1", "1.2", "1.3", "1.4");
        assertThat(listing.at("/analyses/0/revman/effect").asDouble()).isCloseTo(0.774, within(0.001));
        assertThat(listing.at("/analyses/0/questionId").isNull() || listing.at("/analyses/0/questionId").isMissingNode()).isTrue();
        assertThat(database.getCollection(QuestionRepository.COLLECTION).countDocuments()).isEqualTo(questionsBefore);

        JsonNode imported = TestJson.parse(post("/api/v1/reviews/import?analysis=all", review, MediaType.APPLICATION_XML).body());
        JsonNode analyses = imported.get("analyses");
        assertThat(analyses.get(0).at("/records/accepted").asInt()).isEqualTo(3);
        assertThat(analyses.get(1).at("/records/accepted").asInt()).isEqualTo(4);
        assertThat(analyses.get(2).at("/records/accepted").asInt()).isEqualTo(3);
        assertThat(analyses.get(3).at("/errors/0/message").asText()).contains("O-E and variance");

        JsonNode deaths = get("/api/v1/questions/" + analyses.get(1).get("questionId").asText());
        assertThat(deaths.get("title").asText()).isEqualTo("Death within three years (Local therapy plus systemic therapy versus systemic therapy alone)");
        assertThat(deaths.get("effectMeasure").asText()).isEqualTo("RR");
        assertThat(deaths.get("benefitDirection").asText()).isEqualTo("LOWER");
        assertThat(deaths.at("/settings/model").asText()).isEqualTo("RANDOM");
        assertThat(deaths.at("/settings/tau2Estimator").asText()).isEqualTo("DL");
        assertThat(deaths.at("/pico/intervention").asText()).isEqualTo("Local therapy");
        JsonNode quality = get("/api/v1/questions/" + analyses.get(2).get("questionId").asText());
        assertThat(quality.get("benefitDirection").asText()).as("\"Favours local therapy\" is on the right").isEqualTo("HIGHER");
        assertThat(quality.at("/settings/model").asText()).isEqualTo("FIXED");
        JsonNode subgroups = get("/api/v1/questions/" + deaths.get("questionId").asText() + "/outcome-records?sort=studyLabel");
        assertThat(subgroups.get(2).get("subgroup").asText()).isEqualTo("Ablation of metastases");

        JsonNode again = TestJson.parse(post("/api/v1/reviews/import?analysis=1.1&analysis=1.2,1.3", review, MediaType.APPLICATION_XML).body());
        for (int i = 0; i < 3; i++) {
            assertThat(again.at("/analyses/" + i + "/questionId")).isEqualTo(analyses.get(i).get("questionId"));
            assertThat(again.at("/analyses/" + i + "/records/accepted").asInt()).isZero();
        }
        assertThat(again.at("/analyses/3/questionId").isMissingNode() || again.at("/analyses/3/questionId").isNull()).isTrue();

        // Defined otherwise (here: the other benefit direction), the same analysis is another question, not an error.
        JsonNode otherDirection = TestJson.parse(post("/api/v1/reviews/import?analysis=1.1&benefitDirection=HIGHER", review,
                MediaType.APPLICATION_XML).body());
        assertThat(otherDirection.at("/analyses/0/questionId").asText()).isNotEmpty().isNotEqualTo(analyses.get(0).get("questionId").asText());
        assertThat(otherDirection.at("/analyses/0/records/accepted").asInt()).isEqualTo(3);
    }

    @Test
    void hostileOrForeignUploadsAreRefusedAsProblemsNamingTheBody() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE COCHRANE_REVIEW [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                + "<COCHRANE_REVIEW><COVER_SHEET><TITLE>&b;</TITLE></COVER_SHEET></COCHRANE_REVIEW>";
        JsonNode refused = problem(() -> post("/api/v1/reviews/import", laughs, MediaType.APPLICATION_XML), 422);
        assertThat(refused.at("/errors/0/field").asText()).isEqualTo("body");
        assertThat(refused.at("/errors/0/message").asText()).contains("document type declaration");

        JsonNode truncated = problem(() -> post("/api/v1/reviews/import", review.substring(0, 3000), MediaType.APPLICATION_XML), 422);
        assertThat(truncated.at("/errors/0/message").asText()).contains("not well-formed XML");

        JsonNode ourCsv = problem(() -> post("/api/v1/reviews/import", "studyLabel,estimate\nA,1\n", "text/csv"), 422);
        assertThat(ourCsv.at("/errors/0/message").asText()).contains("Comparison Number");

        JsonNode unknown = problem(() -> post("/api/v1/reviews/import?analysis=9.9", review, MediaType.APPLICATION_XML), 422);
        assertThat(unknown.at("/errors/0/field").asText()).isEqualTo("analysis");
    }

    @Test
    void exportsGiveThePooledDataAsOfAnyTimeAnRScriptAndARevManCsvThatImportsBackToTheSameEffects() throws Exception {
        String questionId = newQuestion(HR_QUESTION);
        post("/api/v1/questions/" + questionId + "/outcome-records/import?analysis=1.1", review, MediaType.APPLICATION_XML);
        Instant between = Instant.now();
        Thread.sleep(5);
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records", """
                {"studyLabel": "=HYPERLINK(\\"http://example.org\\") 2026", "publicationYear": 2026,
                 "reported": {"form": "RATIO_WITH_CI", "measure": "HR", "estimate": 0.9, "lower": 0.7, "upper": 1.15, "ciLevel": 0.95}}""")
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);

        HttpResponse<String> now = http.toBlocking().exchange(HttpRequest.GET("/api/v1/questions/" + questionId + "/export/records.csv"), String.class);
        assertThat(now.getContentType().map(Object::toString).orElse("")).startsWith("text/csv");
        assertThat(now.header("Content-Disposition")).contains(questionId + "-records.csv");
        List<CSVRecord> rows = csv(now.body());
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3).get("studyLabel")).as("a formula is exported as text").startsWith("'=HYPERLINK");
        JsonNode stored = get("/api/v1/questions/" + questionId + "/outcome-records?limit=10");
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        stored.forEach(r -> byId.put(r.get("recordId").asText(), r));
        for (CSVRecord row : rows) {
            JsonNode record = byId.get(row.get("recordId"));
            assertThat(Double.parseDouble(row.get("yi"))).isEqualTo(record.at("/derived/estimate").asDouble());
            double se = record.at("/derived/standardError").asDouble();
            assertThat(Double.parseDouble(row.get("vi"))).isEqualTo(se * se);
            assertThat(TestJson.parse(row.get("reported"))).isEqualTo(record.get("reported"));
        }

        List<CSVRecord> before = csv(http.toBlocking().retrieve("/api/v1/questions/" + questionId + "/export/records.csv?asOf=" + between));
        assertThat(before).extracting(r -> r.get("studyLabel")).doesNotContain("'=HYPERLINK(\"http://example.org\") 2026").hasSize(3);

        String script = http.toBlocking().retrieve("/api/v1/questions/" + questionId + "/export/metafor.R");
        assertThat(script).contains("library(metafor)", "method = if (k >= 2) \"DL\" else \"FE\"", "test = \"z\"", "level <- 95",
                "transf <- exp");

        // RevMan's CSV of the living data, imported back into a new question, gives the very same effects.
        String revman = http.toBlocking().retrieve("/api/v1/questions/" + questionId + "/export/revman.csv");
        String copy = newQuestion(HR_QUESTION);
        JsonNode back = TestJson.parse(post("/api/v1/questions/" + copy + "/outcome-records/import", revman, "text/csv").body());
        assertThat(back.get("accepted").asInt()).isEqualTo(4);
        Map<String, Double> original = effects(questionId);
        Map<String, Double> roundTripped = effects(copy);
        assertThat(roundTripped.keySet()).isEqualTo(original.keySet());
        original.forEach((label, y) -> assertThat(roundTripped.get(label)).isCloseTo(y, within(1e-12)));
    }

    @Test
    void anEstimatePostedBackExportsExactlyTheRevisionsItPooledAndTheScriptChecksItsFigures() {
        String questionId = newQuestion(HR_QUESTION);
        post("/api/v1/questions/" + questionId + "/outcome-records/import?analysis=1.1", review, MediaType.APPLICATION_XML);
        JsonNode records = get("/api/v1/questions/" + questionId + "/outcome-records?sort=studyLabel");
        String first = records.get(0).get("recordId").asText();
        String second = records.get(1).get("recordId").asText();
        // An estimate that pooled two of the three records (as one computed before the third arrived would have).
        String estimate = estimate(questionId, "RANDOM_DL", List.of(first, second));

        HttpResponse<String> csv = http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/records.csv",
                estimate).contentType(MediaType.APPLICATION_JSON_TYPE), String.class);
        assertThat(csv.header("Content-Disposition")).contains("-v7-records.csv");
        assertThat(csv.body().lines().skip(1).map(l -> l.substring(0, l.indexOf(',')))).containsExactly(first, second);

        String script = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/metafor.R", estimate)
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertThat(script).contains("the revisions estimate version 7", "published <- c(", "\"randomEffects.estimate\" = -0.25",
                "\"heterogeneity.tau2\" = 0.05", "quit(status = 1)");

        JsonNode otherMethod = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/metafor.R",
                estimate(questionId, "RANDOM_REML", List.of(first))).contentType(MediaType.APPLICATION_JSON_TYPE)), 409);
        assertThat(otherMethod.at("/errors/0/field").asText()).isEqualTo("randomEffects.method");
        JsonNode unknownRecord = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/records.csv",
                estimate(questionId, "RANDOM_DL", List.of("r_0000000000000000"))).contentType(MediaType.APPLICATION_JSON_TYPE)), 422);
        assertThat(unknownRecord.at("/errors/0/field").asText()).isEqualTo("studies[0]");
        String otherQuestion = newQuestion(HR_QUESTION);
        JsonNode wrongQuestion = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + otherQuestion + "/export/records.csv",
                estimate).contentType(MediaType.APPLICATION_JSON_TYPE)), 422);
        assertThat(wrongQuestion.at("/errors/0/field").asText()).isEqualTo("questionId");
        JsonNode twice = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/records.csv",
                estimate(questionId, "RANDOM_DL", List.of(first, first))).contentType(MediaType.APPLICATION_JSON_TYPE)), 422);
        assertThat(twice.at("/errors/0/field").asText()).isEqualTo("studies[1].recordId");
        List<String> forged = java.util.stream.IntStream.range(0, 5001).mapToObj(i -> "r_forged" + i).toList();
        JsonNode tooMany = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/records.csv",
                estimate(questionId, "RANDOM_DL", forged)).contentType(MediaType.APPLICATION_JSON_TYPE)), 422);
        assertThat(tooMany.at("/errors/0/field").asText()).isEqualTo("studies");
        JsonNode nullStudy = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/records.csv",
                estimate(questionId, "RANDOM_DL", List.of(first)).replace("\"studies\": [", "\"studies\": [null, ")).contentType(MediaType.APPLICATION_JSON_TYPE)), 422);
        assertThat(nullStudy.at("/errors/0/field").asText()).isEqualTo("studies[0].recordId");
        JsonNode garbage = problem(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/export/records.csv",
                "{\"questionId\": [1, 2]}").contentType(MediaType.APPLICATION_JSON_TYPE)), 422);
        assertThat(garbage.at("/errors/0/field").asText()).isEqualTo("questionId");
    }

    /** An estimate event as analysis-service publishes it, with made-up figures, pooling the given records' first revisions. */
    private static String estimate(String questionId, String method, List<String> recordIds) {
        String studies = recordIds.stream().map(id -> "{\"recordId\": \"" + id + "\", \"revision\": 1, \"studyLabel\": \"x\", "
                + "\"estimate\": -0.2, \"standardError\": 0.1, \"weightFixed\": 50, \"weightRandom\": 50}").collect(Collectors.joining(","));
        String result = "{\"method\": \"%s\", \"estimate\": -0.25, \"standardError\": 0.1, \"ciLower\": -0.45, \"ciUpper\": -0.05, "
                + "\"ciLevel\": 0.95, \"zValue\": -2.5, \"pValue\": 0.0124, \"natural\": {\"estimate\": 0.78, \"ciLower\": 0.64, \"ciUpper\": 0.95}}";
        return "{\"questionId\": \"" + questionId + "\", \"estimateVersion\": 7, \"computedAt\": \"" + Instant.now() + "\", "
                + "\"effectMeasure\": \"HR\", \"scale\": \"LOG\", \"k\": " + recordIds.size() + ", "
                + "\"fixedEffect\": " + String.format(result, "FIXED_IV") + ", \"randomEffects\": " + String.format(result, method) + ", "
                + "\"heterogeneity\": {\"q\": 1.5, \"df\": 1, \"pValue\": 0.22, \"iSquared\": 33.3, \"hSquared\": 1.5, \"tau2\": 0.05, \"tau\": 0.22}, "
                + "\"studies\": [" + studies + "]}";
    }

    private Map<String, Double> effects(String questionId) {
        List<JsonNode> records = new ArrayList<>();
        get("/api/v1/questions/" + questionId + "/outcome-records?limit=10").forEach(records::add);
        return records.stream().collect(Collectors.toMap(r -> r.get("studyLabel").asText().replaceFirst("^'", ""),
                r -> r.at("/derived/estimate").asDouble(), (a, b) -> a));
    }

    private static List<CSVRecord> csv(String text) throws java.io.IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
    }

    private String newQuestion(String json) {
        return TestJson.parse(http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions", json)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class).body())
                .get("questionId").asText();
    }

    private HttpResponse<String> post(String path, String body, String contentType) {
        return http.toBlocking().exchange(HttpRequest.POST(path, body).contentType(contentType)
                .accept(MediaType.APPLICATION_JSON).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    private JsonNode get(String path) {
        return TestJson.parse(http.toBlocking().retrieve(HttpRequest.GET(path).bearerAuth(TestInfrastructure.ADMIN_API_KEY)));
    }

    private static JsonNode problem(java.util.function.Supplier<?> call, int status) {
        try {
            call.get();
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).as(e.getResponse().getBody(String.class).orElse("")).isEqualTo(status);
            assertThat(e.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            return TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
        }
        throw new AssertionError("expected a " + status + " problem");
    }

}
