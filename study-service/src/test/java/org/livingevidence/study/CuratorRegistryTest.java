package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TestJwts;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.TopicReader.ConsumedRecord;

/** The curator's registry: revisions, concurrency, idempotency, history, as-of, lists, studies and access. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CuratorRegistryTest implements RealInfrastructure, TestPropertyProvider {

    private static final String QUESTION = """
            {"title": "Primary tumour resection in de novo stage IV breast cancer: overall survival",
             "pico": {"population": "De novo stage IV breast cancer", "intervention": "Primary tumour resection plus systemic therapy",
                      "comparator": "Systemic therapy alone", "outcome": "Overall survival"},
             "effectMeasure": "HR", "benefitDirection": "LOWER", "tags": ["breast-cancer", "local-therapy"]}""";

    private static final String SHIEN = """
            {"studyLabel": "Shien 2025 (JCOG1017)", "publicationYear": 2025, "studyDesign": "RANDOMISED_TRIAL",
             "followUp": "median 60 months", "source": {"page": "625", "quote": "HR 0.86 90% CI 0.69-1.07"},
             "reported": {"form": "RATIO_WITH_CI", "measure": "HR", "estimate": 0.86, "lower": 0.69, "upper": 1.07, "ciLevel": 0.90}}""";

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith(Map.of(
                "evidence.retraction-sweep.interval", "200ms"));
    }

    private HttpResponse<String> send(MutableHttpRequest<?> request) {
        return http.toBlocking().exchange(request.contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    private JsonNode problem(MutableHttpRequest<?> request, int status) {
        try {
            http.toBlocking().exchange(request, String.class);
            throw new AssertionError("expected " + status);
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).as(e.getResponse().getBody(String.class).orElse("")).isEqualTo(status);
            assertThat(e.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            return TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
        }
    }

    private MutableHttpRequest<String> authed(MutableHttpRequest<String> request) {
        return request.contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY);
    }

    private String newQuestion() {
        return TestJson.parse(send(HttpRequest.POST("/api/v1/questions", QUESTION)).body()).get("questionId").asText();
    }

    @Test
    void aRevisionNeedsTheCurrentETagAndKeepsEveryEarlierRevision() {
        String id = newQuestion();
        HttpResponse<String> read = send(HttpRequest.GET("/api/v1/questions/" + id));
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        Instant beforeRevision = Instant.now();
        String revised = QUESTION.replace("\"benefitDirection\": \"LOWER\"", "\"benefitDirection\": \"LOWER\", \"reason\": \"OS is the trial's primary end point\"")
                .replace("overall survival\"", "overall survival (primary end point)\"");

        JsonNode missing = problem(authed(HttpRequest.PUT("/api/v1/questions/" + id, revised)), 428);
        assertThat(missing.at("/errors/0/field").asText()).isEqualTo("If-Match");
        HttpResponse<String> second = send(HttpRequest.PUT("/api/v1/questions/" + id, revised).header("If-Match", "\"1\""));
        assertThat(second.header("ETag")).isEqualTo("\"2\"");
        // A curator still holding revision 1 cannot overwrite revision 2.
        JsonNode stale = problem(authed(HttpRequest.PUT("/api/v1/questions/" + id, revised).header("If-Match", "\"1\"")), 412);
        assertThat(stale.get("detail").asText()).contains("revision 2");

        JsonNode history = TestJson.parse(send(HttpRequest.GET("/api/v1/questions/" + id + "/revisions")).body());
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("title").asText()).endsWith("overall survival");
        assertThat(history.get(1).get("reason").asText()).isEqualTo("OS is the trial's primary end point");
        assertThat(history.get(1).get("revisedBy").asText()).isEqualTo("key:bootstrap");
        JsonNode asOf = TestJson.parse(send(HttpRequest.GET("/api/v1/questions/" + id + "?asOf=" + beforeRevision)).body());
        assertThat(asOf.get("revision").asInt()).isEqualTo(1);

        JsonNode noReason = problem(authed(HttpRequest.PUT("/api/v1/questions/" + id, QUESTION).header("If-Match", "\"2\"")), 422);
        assertThat(noReason.at("/errors/0/field").asText()).isEqualTo("reason");
    }

    @Test
    void aRetractionIsARevisionThatIsPublishedAndLeavesTheHistoryIntact() {
        String questionId = newQuestion();
        JsonNode record = TestJson.parse(send(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records", SHIEN)).body());
        String recordId = record.get("recordId").asText();
        assertThat(record.at("/source/quote").asText()).isEqualTo("HR 0.86 90% CI 0.69-1.07");

        JsonNode retracted = TestJson.parse(send(HttpRequest.POST("/api/v1/outcome-records/" + recordId + "/retraction",
                "{\"reason\": \"entered under the wrong question\"}").header("If-Match", "\"1\"")).body());
        assertThat(retracted.get("status").asText()).isEqualTo("RETRACTED");
        assertThat(retracted.get("revision").asInt()).isEqualTo(2);
        problem(authed(HttpRequest.POST("/api/v1/outcome-records/" + recordId + "/retraction", "{\"reason\": \"again\"}")
                .header("If-Match", "\"2\"")), 409);

        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.OUTCOME_RECORDS)) {
            List<ConsumedRecord> events = reader.await(2, r -> r.key().equals(questionId), Duration.ofSeconds(30));
            assertThat(events).extracting(r -> TestJson.parse(r.value()).get("status").asText()).containsExactly("ACTIVE", "RETRACTED");
            assertThat(EventSchemas.violations(EventType.OUTCOME_RECORD_REVISED, TestJson.parse(events.get(1).value()))).isEmpty();
        }
        JsonNode active = TestJson.parse(send(HttpRequest.GET("/api/v1/questions/" + questionId + "/outcome-records?status=ACTIVE")).body());
        assertThat(active).isEmpty();
        assertThat(TestJson.parse(send(HttpRequest.GET("/api/v1/outcome-records/" + recordId + "/revisions")).body())).hasSize(2);
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyIsNotDuplicated() {
        HttpResponse<String> first = send(HttpRequest.POST("/api/v1/questions", QUESTION).header("Idempotency-Key", "create-q-42"));
        HttpResponse<String> retry = send(HttpRequest.POST("/api/v1/questions", QUESTION).header("Idempotency-Key", "create-q-42"));

        assertThat(TestJson.parse(retry.body()).get("questionId")).isEqualTo(TestJson.parse(first.body()).get("questionId"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        JsonNode reused = problem(authed(HttpRequest.POST("/api/v1/questions", QUESTION.replace("Overall survival", "Progression-free survival"))
                .header("Idempotency-Key", "create-q-42")), 422);
        assertThat(reused.get("type").asText()).endsWith("/idempotency-key-reused");
    }

    @Test
    void listsArePagedFilteredAndSorted() {
        String questionId = newQuestion();
        for (int year = 2020; year < 2025; year++) {
            send(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                    SHIEN.replace("2025", String.valueOf(year)).replace("Shien 2025 (JCOG1017)", "Study " + year)));
        }
        HttpResponse<String> page = send(HttpRequest.GET("/api/v1/questions/" + questionId + "/outcome-records?limit=2&sort=-publicationYear"));

        assertThat(page.header("X-Total-Count")).isEqualTo("5");
        assertThat(TestJson.parse(page.body())).extracting(r -> r.get("publicationYear").asInt()).containsExactly(2024, 2023);
        assertThat(page.header("Link")).contains("offset=2").contains("rel=\"next\"");
        JsonNode last = TestJson.parse(send(HttpRequest.GET("/api/v1/questions/" + questionId
                + "/outcome-records?limit=2&offset=4&sort=-publicationYear")).body());
        assertThat(last).extracting(r -> r.get("publicationYear").asInt()).containsExactly(2020);
        JsonNode badSort = problem(HttpRequest.GET("/api/v1/questions/" + questionId + "/outcome-records?sort=estimate"), 422);
        assertThat(badSort.at("/errors/0/field").asText()).isEqualTo("sort");
        assertThat(TestJson.parse(send(HttpRequest.GET("/api/v1/questions?tag=local-therapy&limit=500")).body()))
                .allSatisfy(q -> assertThat(q.get("tags").toString()).contains("local-therapy"));
        // Title search: any case, taken literally (a pattern character matches only itself).
        JsonNode found = TestJson.parse(send(HttpRequest.GET("/api/v1/questions?limit=500&q=" + java.net.URLEncoder.encode(
                "DE NOVO stage IV", java.nio.charset.StandardCharsets.UTF_8))).body());
        assertThat(found).isNotEmpty().allSatisfy(q -> assertThat(q.get("title").asText()).containsIgnoringCase("de novo stage IV"));
        assertThat(found).extracting(q -> q.get("questionId").asText()).contains(questionId);
        assertThat(TestJson.parse(send(HttpRequest.GET("/api/v1/questions?limit=500&q=" + java.net.URLEncoder.encode(
                "stage .V", java.nio.charset.StandardCharsets.UTF_8))).body())).isEmpty();
        assertThat(TestJson.parse(send(HttpRequest.GET("/api/v1/questions?limit=500&asOf=" + java.time.Instant.now() + "&q=de%20novo")).body()))
                .extracting(q -> q.get("questionId").asText()).contains(questionId);
        assertThat(problem(HttpRequest.GET("/api/v1/questions?q=" + "x".repeat(201)), 422).at("/errors/0/field").asText()).isEqualTo("q");
    }

    @Test
    void aTrialIsCountedOncePerQuestionAcrossItsPublications() {
        String primary = TestJson.parse(send(HttpRequest.POST("/api/v1/studies", """
                {"citation": {"title": "JCOG1017 primary report", "year": 2025, "doi": "10.1038/s41416-025-03097-z"},
                 "design": "RANDOMISED_TRIAL", "enrolment": {"start": "2011-05", "end": "2018-05"},
                 "arms": [{"label": "resection plus systemic therapy", "participants": 202}, {"label": "systemic therapy alone", "participants": 205}],
                 "riskOfBias": {"overall": "SOME_CONCERNS", "tool": "RoB 2"}}""")).body()).get("studyId").asText();
        String followUp = TestJson.parse(send(HttpRequest.POST("/api/v1/studies", """
                {"citation": {"title": "JCOG1017 long-term follow-up"}, "design": "RANDOMISED_TRIAL", "linkedStudyIds": ["%s"]}"""
                .formatted(primary))).body()).get("studyId").asText();
        String questionId = newQuestion();

        JsonNode record = TestJson.parse(send(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                SHIEN.replace("{\"studyLabel\"", "{\"studyId\": \"" + primary + "\", \"studyLabel\"").replace("\"studyDesign\": \"RANDOMISED_TRIAL\", ", ""))).body());
        assertThat(record.get("studyDesign").asText()).isEqualTo("RANDOMISED_TRIAL");
        JsonNode twice = problem(authed(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                SHIEN.replace("{\"studyLabel\"", "{\"studyId\": \"" + followUp + "\", \"studyLabel\""))), 409);
        assertThat(twice.get("detail").asText()).contains(record.get("recordId").asText());
        // Links are followed through the chain: a secondary analysis of the follow-up is the same trial too.
        String secondary = TestJson.parse(send(HttpRequest.POST("/api/v1/studies", """
                {"citation": {"title": "JCOG1017 secondary analysis"}, "design": "RANDOMISED_TRIAL", "linkedStudyIds": ["%s"]}"""
                .formatted(followUp))).body()).get("studyId").asText();
        JsonNode thrice = problem(authed(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                SHIEN.replace("{\"studyLabel\"", "{\"studyId\": \"" + secondary + "\", \"studyLabel\""))), 409);
        assertThat(thrice.get("detail").asText()).contains(record.get("recordId").asText());

        JsonNode badStudy = problem(authed(HttpRequest.POST("/api/v1/studies", """
                {"citation": {"title": "x", "doi": "https://doi.org/10.1/x", "registryIds": ["NCT123"]}, "design": "RANDOMISED_TRIAL",
                 "enrolment": {"start": "2018-05", "end": "2011-05"}}""")), 422);
        assertThat(badStudy.get("errors")).extracting(e -> e.get("field").asText())
                .contains("citation.doi", "citation.registryIds[0]", "enrolment.end");
        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.STUDIES)) {
            ConsumedRecord event = reader.await(1, r -> r.key().equals(primary), Duration.ofSeconds(30)).get(0);
            assertThat(EventSchemas.violations(EventType.STUDY_REVISED, TestJson.parse(event.value()))).isEmpty();
        }
    }

    @Test
    void retractingAStudyRetractsItsRecordsAndRefusesNewOnes() {
        String study = """
                {"citation": {"title": "A cohort later retracted", "year": 2024}, "design": "RETROSPECTIVE_COHORT"%s}""";
        String studyId = TestJson.parse(send(HttpRequest.POST("/api/v1/studies", study.formatted(""))).body()).get("studyId").asText();
        String questionId = newQuestion();
        String cited = SHIEN.replace("{\"studyLabel\"", "{\"studyId\": \"" + studyId + "\", \"studyLabel\"");
        String recordId = TestJson.parse(send(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records", cited)).body())
                .get("recordId").asText();

        send(HttpRequest.PUT("/api/v1/studies/" + studyId, study.formatted(
                ", \"status\": \"RETRACTED\", \"reason\": \"retracted by the journal for data errors\"")).header("If-Match", "\"1\""));

        await().atMost(Duration.ofSeconds(30)).until(() -> "RETRACTED".equals(
                TestJson.parse(send(HttpRequest.GET("/api/v1/outcome-records/" + recordId)).body()).get("status").asText()));
        JsonNode record = TestJson.parse(send(HttpRequest.GET("/api/v1/outcome-records/" + recordId)).body());
        assertThat(record.get("revisedBy").asText()).isEqualTo("system:study-retraction");
        assertThat(record.get("reason").asText()).contains(studyId).contains("retracted by the journal for data errors");
        JsonNode refused = problem(authed(HttpRequest.POST("/api/v1/questions/" + newQuestion() + "/outcome-records", cited)), 409);
        assertThat(refused.at("/errors/0/field").asText()).isEqualTo("studyId");
    }

    @Test
    void writesNeedACuratorReadsAreOpenAndJwtsWorkLikeKeys() {
        JsonNode anonymous = problem(HttpRequest.POST("/api/v1/questions", QUESTION).contentType(MediaType.APPLICATION_JSON_TYPE), 401);
        assertThat(anonymous.get("status").asInt()).isEqualTo(401);
        problem(HttpRequest.POST("/api/v1/questions", QUESTION).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth("lek_not-a-key-we-issued-000000000"), 401);
        String readerKey = TestJson.parse(send(HttpRequest.POST("/api/v1/api-keys", "{\"name\": \"reader-1\", \"roles\": [\"READER\"]}")).body())
                .get("apiKey").asText();
        problem(HttpRequest.POST("/api/v1/questions", QUESTION).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(readerKey), 403);
        assertThat(http.toBlocking().exchange(HttpRequest.GET("/api/v1/questions"), String.class).getStatus().getCode()).isEqualTo(200);

        String jwt = TestJwts.valid("dr-jwt", List.of("CURATOR"));
        JsonNode created = TestJson.parse(http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions", QUESTION)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(jwt), String.class).body());
        assertThat(created.get("revisedBy").asText()).isEqualTo(TestJwts.principalId("dr-jwt"));
    }

    @Test
    void theOpenApiDocumentIsGeneratedFromTheCodeAndServedWithSwaggerUi() {
        String openApi = http.toBlocking().retrieve("/swagger/study-service-openapi.yml");
        assertThat(openApi).contains("/api/v1/studies/{studyId}/revisions", "/api/v1/questions/{questionId}/outcome-records/import",
                "/api/v1/outcome-records/{recordId}/retraction", "/api/v1/reviews/import",
                "/api/v1/questions/{questionId}/export/metafor.R", "bearer");
        assertThat(http.toBlocking().retrieve("/swagger-ui/index.html")).contains("study-service-openapi.yml");
    }
}
