package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.Topics;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TopicReader;

/** Every input has a bound: the largest accepted write is publishable; anything larger or stranger is refused, naming its field. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputBoundsTest implements RealInfrastructure {

    private static final String QUESTION = """
            {"title": "Bounds: overall survival",
             "pico": {"population": "p", "intervention": "i", "comparator": "c", "outcome": "o"},
             "effectMeasure": "HR", "benefitDirection": "LOWER"}""";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    MongoDatabase database;

    private HttpResponse<String> send(MutableHttpRequest<?> request) {
        return http.toBlocking().exchange(request.contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    private JsonNode created(MutableHttpRequest<?> request) {
        HttpResponse<String> response = send(request);
        assertThat(response.getStatus().getCode()).isEqualTo(201);
        return TestJson.parse(response.body());
    }

    private JsonNode problem(MutableHttpRequest<?> request, int status) {
        try {
            send(request);
            throw new AssertionError("expected " + status);
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).as(e.getResponse().getBody(String.class).orElse("")).isEqualTo(status);
            assertThat(e.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            return TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
        }
    }

    @Test
    void aBaselineRiskIsARiskOverATimeFrameForAMeasureThatChangesARisk() {
        String base = """
                {"title": "Baseline risk", "pico": {"population": "p", "intervention": "i", "comparator": "c", "outcome": "o"},
                 "effectMeasure": "%s", "benefitDirection": "LOWER", "settings": {"alpha": 0.05, "model": "RANDOM", "tau2Estimator": "DL",
                 "ciMethod": "WALD", %s"baselineRisk": %s}}""";
        JsonNode ok = created(HttpRequest.POST("/api/v1/questions", String.format(base, "HR", "", "{\"risk\": 0.3, \"timeFrame\": \"5 years\"}")));
        assertThat(ok.at("/settings/baselineRisk/timeFrame").asText()).isEqualTo("5 years");
        assertThat(problem(HttpRequest.POST("/api/v1/questions", String.format(base, "MD", "", "{\"risk\": 0.3, \"timeFrame\": \"5 years\"}")), 422)
                .at("/errors/0/field").asText()).isEqualTo("settings.baselineRisk");
        assertThat(problem(HttpRequest.POST("/api/v1/questions", String.format(base, "RR", "", "{\"risk\": 1.5, \"timeFrame\": \"5 years\"}")), 422)
                .at("/errors/0/field").asText()).isEqualTo("settings.baselineRisk.risk");
        assertThat(problem(HttpRequest.POST("/api/v1/questions", String.format(base, "OR", "", "{\"risk\": 0.2}")), 422)
                .at("/errors/0/field").asText()).isEqualTo("settings.baselineRisk.timeFrame");
        assertThat(problem(HttpRequest.POST("/api/v1/questions", String.format(base, "OR", "", "{\"risk\": 0.2, \"timeFrame\": \"" + "y".repeat(101) + "\"}")), 422)
                .at("/errors/0/field").asText()).isEqualTo("settings.baselineRisk.timeFrame");
    }

    /** Text of exactly {@code length} characters, with characters outside the BMP so code points are what is counted. */
    private static String text(int length) {
        StringBuilder s = new StringBuilder("Résumé 🧪");
        while (s.codePointCount(0, s.length()) < length) {
            s.append('x');
        }
        return s.toString();
    }

    private static ArrayNode texts(int count, int length) {
        ArrayNode array = org.livingevidence.contracts.EventJson.mapper().createArrayNode();
        for (int i = 0; i < count; i++) {
            array.add(i + text(length - String.valueOf(i).length()));
        }
        return array;
    }

    @Test
    void aWriteWithEveryFieldAtItsMaximumIsStoredAndItsEventIsPublishedAndValid() throws Exception {
        ObjectNode question = (ObjectNode) TestJson.parse(QUESTION);
        question.put("title", text(FieldLimits.QUESTION_TITLE));
        ObjectNode pico = (ObjectNode) question.get("pico");
        for (String f : List.of("population", "intervention", "comparator", "outcome")) {
            pico.put(f, text(FieldLimits.PICO_ELEMENT));
        }
        ArrayNode tags = question.putArray("tags");
        for (int i = 0; i < FieldLimits.TAGS; i++) {
            tags.add(("t" + i + "-").repeat(20).substring(0, FieldLimits.TAG - 1) + i % 10);
        }
        String questionId = created(HttpRequest.POST("/api/v1/questions", question.toString())).get("questionId").asText();

        ObjectNode study = org.livingevidence.contracts.EventJson.mapper().createObjectNode();
        ObjectNode citation = study.putObject("citation");
        citation.put("title", text(FieldLimits.CITATION_TITLE)).put("journal", text(FieldLimits.JOURNAL)).put("year", 2025)
                .put("doi", "10.1000/" + "x".repeat(FieldLimits.DOI - 8)).put("pmid", "123456789");
        citation.set("authors", texts(FieldLimits.AUTHORS, FieldLimits.AUTHOR));
        ArrayNode registryIds = citation.putArray("registryIds");
        for (int i = 0; i < FieldLimits.REGISTRY_IDS; i++) {
            registryIds.add("EUCTR-" + i + "-" + "9".repeat(FieldLimits.REGISTRY_ID - 8 - String.valueOf(i).length()));
        }
        study.put("design", "RANDOMISED_TRIAL");
        ArrayNode arms = study.putArray("arms");
        for (int i = 0; i < FieldLimits.ARMS; i++) {
            arms.addObject().put("label", i + text(FieldLimits.ARM_LABEL - String.valueOf(i).length())).put("participants", 100);
        }
        study.putObject("riskOfBias").put("overall", "LOW").put("tool", text(FieldLimits.RISK_OF_BIAS_TOOL))
                .put("notes", text(FieldLimits.RISK_OF_BIAS_NOTES - 1) + "\n");
        String studyId = created(HttpRequest.POST("/api/v1/studies", study.toString())).get("studyId").asText();

        ObjectNode record = (ObjectNode) TestJson.parse("""
                {"reported": {"form": "RATIO_WITH_CI", "measure": "HR", "estimate": 0.86, "lower": 0.69, "upper": 1.07, "ciLevel": 0.90}}""");
        record.put("studyId", studyId).put("studyLabel", text(FieldLimits.STUDY_LABEL)).put("subgroup", text(FieldLimits.SUBGROUP))
                .put("followUp", text(FieldLimits.FOLLOW_UP)).put("reason", text(FieldLimits.REASON));
        record.putObject("source").put("page", text(FieldLimits.SOURCE_PAGE)).put("table", text(FieldLimits.SOURCE_TABLE))
                .put("quote", text(FieldLimits.SOURCE_QUOTE));
        created(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records", record.toString()));

        for (var expected : List.of(new Object[] {Topics.QUESTIONS, EventType.QUESTION_REVISED, questionId},
                new Object[] {Topics.STUDIES, EventType.STUDY_REVISED, studyId},
                new Object[] {Topics.OUTCOME_RECORDS, EventType.OUTCOME_RECORD_REVISED, questionId})) {
            try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), (String) expected[0])) {
                List<TopicReader.ConsumedRecord> events = reader.await(1, r -> expected[2].equals(r.key()), Duration.ofSeconds(30));
                assertThat(events).as((String) expected[0]).hasSize(1);
                assertThat(EventSchemas.violations((EventType) expected[1], TestJson.parse(events.get(0).value()))).isEmpty();
            }
        }
    }

    @Test
    void aTitleOfAMegabyteIsRefusedNamingItAndNothingIsStored() {
        long before = database.getCollection("questions").countDocuments();
        ObjectNode question = (ObjectNode) TestJson.parse(QUESTION);
        question.put("title", "x".repeat(1_100_000));
        JsonNode refused = problem(HttpRequest.POST("/api/v1/questions", question.toString()), 422);
        assertThat(refused.at("/errors/0/field").asText()).isEqualTo("title");
        assertThat(refused.at("/errors/0/message").asText()).contains("at most " + FieldLimits.QUESTION_TITLE);

        question.put("title", "x".repeat(3_000_000));
        JsonNode tooLarge = problem(HttpRequest.POST("/api/v1/questions", question.toString()), 413);
        assertThat(tooLarge.at("/errors/0/field").asText()).isEqualTo("body");
        assertThat(database.getCollection("questions").countDocuments()).isEqualTo(before);
    }

    @Test
    void numbersMustBeFiniteAndTextMustHoldNoControlCharacters() {
        JsonNode overflow = problem(HttpRequest.POST("/api/v1/questions", QUESTION.replace("\"LOWER\"",
                "\"LOWER\", \"settings\": {\"alpha\": 0.05, \"model\": \"RANDOM\", \"tau2Estimator\": \"DL\", \"ciMethod\": \"WALD\", "
                        + "\"minimalImportantDifference\": 1e400}")), 400);
        assertThat(overflow.at("/errors/0/field").asText()).isEqualTo("settings.minimalImportantDifference");
        JsonNode notANumber = problem(HttpRequest.POST("/api/v1/questions", QUESTION.replace("\"LOWER\"",
                "\"LOWER\", \"settings\": {\"alpha\": \"NaN\", \"model\": \"RANDOM\", \"tau2Estimator\": \"DL\", \"ciMethod\": \"WALD\"}")), 400);
        assertThat(notANumber.at("/errors/0/field").asText()).isEqualTo("settings.alpha");

        JsonNode control = problem(HttpRequest.POST("/api/v1/questions", QUESTION.replace("Bounds: overall", "Bounds:\\u0007 overall")), 422);
        assertThat(control.at("/errors/0/field").asText()).isEqualTo("title");
        assertThat(control.at("/errors/0/message").asText()).contains("U+0007");
        JsonNode newline = problem(HttpRequest.POST("/api/v1/questions", QUESTION.replace("Bounds: overall", "Bounds:\\n overall")), 422);
        assertThat(newline.at("/errors/0/field").asText()).isEqualTo("title");

        ObjectNode tooManyTags = (ObjectNode) TestJson.parse(QUESTION);
        ArrayNode tags = tooManyTags.putArray("tags");
        for (int i = 0; i <= FieldLimits.TAGS; i++) {
            tags.add("tag-" + i);
        }
        assertThat(problem(HttpRequest.POST("/api/v1/questions", tooManyTags.toString()), 422).at("/errors/0/field").asText()).isEqualTo("tags");
    }

    @Test
    void aRecordCitingAStudyThatDoesNotExistIsRefusedNamingStudyId() {
        String questionId = created(HttpRequest.POST("/api/v1/questions", QUESTION)).get("questionId").asText();
        JsonNode refused = problem(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records", """
                {"studyId": "s_nowhere", "studyLabel": "Ghost 2024",
                 "reported": {"form": "RATIO_WITH_CI", "measure": "HR", "estimate": 0.86, "lower": 0.69, "upper": 1.07, "ciLevel": 0.90}}"""), 422);
        assertThat(refused.at("/errors/0/field").asText()).isEqualTo("studyId");
        assertThat(database.getCollection("outcome_records").countDocuments(Filters.eq("questionId", questionId))).isZero();
    }

    @Test
    void oneRecordRevisedAThousandTimesKeepsEveryRevisionWithoutGrowingItsDocument() {
        String questionId = created(HttpRequest.POST("/api/v1/questions", QUESTION)).get("questionId").asText();
        String body = """
                {"studyLabel": "Revised often", "reason": "%s",
                 "reported": {"form": "RATIO_WITH_CI", "measure": "HR", "estimate": 0.86, "lower": 0.69, "upper": 1.07, "ciLevel": 0.90}}""";
        String recordId = created(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records", body.formatted("first")))
                .get("recordId").asText();
        int documentSize = database.getCollection("outcome_records").find(Filters.eq("_id", recordId)).first().toJson().length();
        for (int revision = 2; revision <= 1000; revision++) {
            send(HttpRequest.PUT("/api/v1/outcome-records/" + recordId, body.formatted("correction " + revision))
                    .header("If-Match", "\"" + (revision - 1) + "\""));
        }

        JsonNode history = TestJson.parse(send(HttpRequest.GET("/api/v1/outcome-records/" + recordId + "/revisions")).body());
        assertThat(history).hasSize(1000);
        assertThat(history.get(999).get("reason").asText()).isEqualTo("correction 1000");
        assertThat(history.get(0).get("reason").asText()).isEqualTo("first");
        // The entity's document holds its current revision only; it grows by no more than a few pending events.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> database.getCollection("outcome_records")
                .find(Filters.eq("_id", recordId)).first().getList("outbox", Object.class, List.of()).isEmpty());
        int after = database.getCollection("outcome_records").find(Filters.eq("_id", recordId)).first().toJson().length();
        assertThat(after).isLessThan(documentSize + 200);
    }
}
