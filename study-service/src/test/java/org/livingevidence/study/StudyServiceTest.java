package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.study.outcomes.OutcomeRecordRepository;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.TopicReader.ConsumedRecord;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyServiceTest implements RealInfrastructure {

    private static final String QUESTION = """
            {"title": "Local therapy plus systemic therapy for metastatic breast cancer: overall survival",
             "pico": {"population": "Metastatic breast cancer", "intervention": "Local therapy plus systemic therapy",
                      "comparator": "Systemic therapy alone", "outcome": "Overall survival"},
             "effectMeasure": "HR", "benefitDirection": "LOWER"}""";

    private static final String SHIEN_2025 = """
            {"studyLabel": "Shien 2025 (JCOG1017)", "publicationYear": 2025,
             "reported": {"form": "RATIO_WITH_CI", "measure": "HR", "estimate": 0.86, "lower": 0.69, "upper": 1.07, "ciLevel": 0.90}}""";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    MongoDatabase database;

    private JsonNode post(String uri, String json) {
        HttpResponse<String> response = http.toBlocking().exchange(
                HttpRequest.POST(uri, json).contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
        assertThat(response.getStatus().getCode()).isEqualTo(HttpStatus.CREATED.getCode());
        return TestJson.parse(response.body());
    }

    private JsonNode problem(String uri, String json, int expectedStatus) {
        try {
            http.toBlocking().exchange(HttpRequest.POST(uri, json).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
            throw new AssertionError("expected " + expectedStatus);
        } catch (HttpClientResponseException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(expectedStatus);
            assertThat(e.getResponse().getContentType()).hasValueSatisfying(
                    t -> assertThat(t.toString()).isEqualTo("application/problem+json"));
            return TestJson.parse(e.getResponse().getBody(String.class).orElseThrow());
        }
    }

    private long storedRecords() {
        return database.getCollection(OutcomeRecordRepository.COLLECTION).countDocuments();
    }

    @Test
    void aRecordIsStoredDerivedAndPublishedOnceAsACloudEvent() {
        String questionId = post("/api/v1/questions", QUESTION).get("questionId").asText();
        JsonNode record = post("/api/v1/questions/" + questionId + "/outcome-records", SHIEN_2025);

        assertThat(record.at("/derived/standardError").asDouble()).isCloseTo(0.1333621188767305, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(record.at("/revision").asLong()).isEqualTo(1);
        assertThat(record.get("revisedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        String recordId = record.get("recordId").asText();

        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.OUTCOME_RECORDS)) {
            List<ConsumedRecord> events = reader.await(1, r -> questionId.equals(r.key()), Duration.ofSeconds(30));
            assertThat(events).hasSize(1);
            ConsumedRecord event = events.get(0);
            assertThat(event.headers()).containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_type", EventType.OUTCOME_RECORD_REVISED.ceType())
                    .containsEntry("ce_source", "/study-service")
                    .containsEntry("ce_subject", questionId)
                    .containsEntry("content-type", "application/json")
                    // A person's write: consumers may act on it ahead of an import's backlog.
                    .containsEntry("ce_lane", "interactive")
                    .containsKeys("ce_id", "ce_time");
            JsonNode payload = TestJson.parse(event.value());
            assertThat(EventSchemas.violations(EventType.OUTCOME_RECORD_REVISED, payload)).isEmpty();
            assertThat(payload.get("recordId").asText()).isEqualTo(recordId);
            assertThat(reader.readFor(Duration.ofSeconds(2), r -> questionId.equals(r.key()))).hasSize(1);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                database.getCollection(OutcomeRecordRepository.COLLECTION).find(Filters.eq("_id", recordId)).first()
                        .getList(Outbox.FIELD, Object.class, List.of()).isEmpty()
                && database.getCollection(Outbox.PENDING).countDocuments(Filters.eq("docId", recordId)) == 0);
    }

    @Test
    void anIntervalThatExcludesItsEstimateIsRefusedNamingTheFieldAndNothingIsStored() {
        String questionId = post("/api/v1/questions", QUESTION).get("questionId").asText();
        long before = storedRecords();

        JsonNode problem = problem("/api/v1/questions/" + questionId + "/outcome-records",
                SHIEN_2025.replace("\"estimate\": 0.86", "\"estimate\": 1.20"), 422);

        assertThat(problem.get("type").asText()).endsWith("/validation");
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("reported.estimate");
        assertThat(problem.at("/errors/0/message").asText()).contains("does not contain");
        assertThat(storedRecords()).isEqualTo(before);
    }

    @Test
    void malformedAndIncompleteBodiesGet400NamingTheField() {
        String questionId = post("/api/v1/questions", QUESTION).get("questionId").asText();
        String uri = "/api/v1/questions/" + questionId + "/outcome-records";
        long before = storedRecords();

        JsonNode missing = problem(uri, SHIEN_2025.replace("\"lower\": 0.69, ", ""), 400);
        assertThat(missing.at("/errors/0/field").asText()).isEqualTo("reported.lower");

        JsonNode wrongType = problem(uri, SHIEN_2025.replace("0.86", "\"big\""), 400);
        assertThat(wrongType.at("/errors/0/field").asText()).isEqualTo("reported.estimate");

        JsonNode unknownForm = problem(uri, SHIEN_2025.replace("RATIO_WITH_CI", "TEA_LEAVES"), 400);
        assertThat(unknownForm.at("/errors/0/field").asText()).startsWith("reported");

        JsonNode typo = problem(uri, SHIEN_2025.replace("\"ciLevel\"", "\"cilevel\""), 400);
        assertThat(typo.at("/errors/0/field").asText()).isEqualTo("reported.ciLevel");
        JsonNode unknown = problem(uri, SHIEN_2025.replace("\"ciLevel\"", "\"pValue\": 0.13, \"ciLevel\""), 400);
        assertThat(unknown.at("/errors/0/field").asText()).isEqualTo("reported.pValue");

        JsonNode notJson = problem(uri, "{\"studyLabel\": ", 400);
        assertThat(notJson.get("status").asInt()).isEqualTo(400);

        assertThat(storedRecords()).isEqualTo(before);
    }

    @Test
    void aQuestionWithoutItsRequiredFieldsIsRefusedListingEachField() {
        JsonNode problem = problem("/api/v1/questions", "{\"title\": \" \", \"effectMeasure\": \"HR\"}", 422);

        assertThat(problem.get("errors")).extracting(e -> e.get("field").asText())
                .contains("title", "pico", "benefitDirection");

        JsonNode noReference = problem("/api/v1/questions", QUESTION.replace("\"HR\"", "\"PLO\""), 422);
        assertThat(noReference.at("/errors/0/field").asText()).isEqualTo("settings.referenceProportion");
        JsonNode arcsine = problem("/api/v1/questions", QUESTION.replace("\"HR\"", "\"PFT\""), 422);
        assertThat(arcsine.at("/errors/0/field").asText()).isEqualTo("effectMeasure");
        assertThat(arcsine.at("/errors/0/message").asText()).contains("use PLO");
        JsonNode referenceOnAnHr = problem("/api/v1/questions", QUESTION.replace("\"LOWER\"",
                "\"LOWER\", \"settings\": {\"alpha\": 0.05, \"model\": \"RANDOM\", \"tau2Estimator\": \"DL\", \"ciMethod\": \"WALD\", \"referenceProportion\": 0.5}"), 422);
        assertThat(referenceOnAnHr.at("/errors/0/field").asText()).isEqualTo("settings.referenceProportion");
    }

    @Test
    void aSingleArmProportionQuestionNamesItsReferenceAndTakesProportions() {
        String questionId = post("/api/v1/questions", """
                {"title": "MDRT for oligoprogressive metastatic breast cancer: same systemic therapy at 6 months",
                 "pico": {"population": "Oligoprogressive metastatic breast cancer", "intervention": "Metastasis-directed radiation therapy",
                          "comparator": "Historical rate of staying on the same therapy", "outcome": "On the same systemic therapy at 6 months"},
                 "effectMeasure": "PLO", "benefitDirection": "HIGHER",
                 "settings": {"alpha": 0.05, "model": "RANDOM", "tau2Estimator": "DL", "ciMethod": "WALD", "referenceProportion": 0.45}}""")
                .get("questionId").asText();
        String uri = "/api/v1/questions/" + questionId + "/outcome-records";

        JsonNode mdrt = post(uri, """
                {"studyLabel": "MDRT 2025", "reason": "  entered from the abstract  ",
                 "reported": {"form": "SINGLE_ARM_PROPORTION", "measure": "PLO", "events": 28, "total": 47}}""");
        assertThat(mdrt.get("reason").asText()).isEqualTo("entered from the abstract");
        assertThat(mdrt.at("/derived/estimate").asDouble()).isCloseTo(Math.log(28.0 / 19), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(mdrt.at("/derived/scale").asText()).isEqualTo("LOGIT");
        JsonNode hr = problem(uri, SHIEN_2025, 422);
        assertThat(hr.at("/errors/0/field").asText()).startsWith("reported");
    }

    @Test
    void everyReportedFormOfTheSeedAbstractsIsAcceptedAndDerived() {
        String questionId = post("/api/v1/questions", QUESTION).get("questionId").asText();
        String uri = "/api/v1/questions/" + questionId + "/outcome-records";

        JsonNode zou = post(uri, """
                {"studyLabel": "Zou 2025", "reported": {"form": "RATIO_WITH_P", "measure": "HR", "estimate": 0.48, "pValue": 0.003}}""");
        JsonNode tare = post(uri, """
                {"studyLabel": "TriNetX 2025", "reported": {"form": "MEDIAN_SURVIVAL", "measure": "HR",
                 "medianIntervention": 36, "medianComparator": 25, "pValue": 0.04}}""");
        JsonNode nelm = post(uri, """
                {"studyLabel": "NELM 2011", "reported": {"form": "SURVIVAL_AT_TIMEPOINT", "measure": "HR",
                 "survivalIntervention": 0.74, "survivalComparator": 0.30, "timepointMonths": 60,
                 "pValue": 0.001, "pValueRelation": "LESS_THAN"}}""");

        assertThat(zou.at("/derived/standardError").asDouble()).isCloseTo(0.2473160344829536, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tare.at("/derived/approximate").asBoolean()).isTrue();
        assertThat(tare.at("/derived/standardError").asDouble()).isCloseTo(0.1775499973245168, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(nelm.at("/derived/standardErrorIsUpperBound").asBoolean()).isTrue();
        assertThat(nelm.at("/derived/warnings/0").asText()).contains("upper bound");
    }

    @Test
    void aFormThatCannotCarryTheQuestionsMeasureIsRefused() {
        String questionId = post("/api/v1/questions", QUESTION).get("questionId").asText();

        JsonNode problem = problem("/api/v1/questions/" + questionId + "/outcome-records", """
                {"studyLabel": "Wrong 2020", "reported": {"form": "RATIO_WITH_P", "measure": "HR", "estimate": 0.8, "pValue": 1.5}}""", 422);

        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("reported.pValue");
    }

    @Test
    void anUnknownQuestionIs404ProblemJson() {
        JsonNode problem = problem("/api/v1/questions/q_missing/outcome-records", SHIEN_2025, 404);

        assertThat(problem.get("detail").asText()).contains("q_missing");
    }

    @Test
    void aRecordAndItsRevisionWrittenWhileKafkaIsDownArePublishedExactlyOnceInOrderAfterItReturns() {
        Assumptions.assumeTrue(infrastructure().canRestartKafka(), "needs a broker the test can stop");
        String questionId = post("/api/v1/questions", QUESTION).get("questionId").asText();
        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.QUESTIONS)) {
            reader.await(1, r -> questionId.equals(r.key()), Duration.ofSeconds(30));
        }

        infrastructure().stopKafka();
        String recordId;
        try {
            recordId = post("/api/v1/questions/" + questionId + "/outcome-records", SHIEN_2025).get("recordId").asText();
            HttpResponse<String> revised = http.toBlocking().exchange(HttpRequest.PUT("/api/v1/outcome-records/" + recordId,
                            SHIEN_2025.replace("\"estimate\": 0.86", "\"estimate\": 0.87").replace("{\"studyLabel\"",
                                    "{\"reason\": \"typo in the estimate\", \"studyLabel\""))
                    .contentType(MediaType.APPLICATION_JSON_TYPE).header("If-Match", "\"1\"").bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
            assertThat(revised.getStatus().getCode()).isEqualTo(200);
        } finally {
            infrastructure().startKafka();
        }

        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.OUTCOME_RECORDS)) {
            assertThat(reader.await(2, r -> questionId.equals(r.key()), Duration.ofSeconds(60))).hasSize(2);
            List<ConsumedRecord> all = reader.readFor(Duration.ofSeconds(3), r -> questionId.equals(r.key()));
            assertThat(all).extracting(r -> TestJson.parse(r.value()).get("recordId").asText()).containsOnly(recordId);
            assertThat(all).extracting(r -> TestJson.parse(r.value()).get("revision").asInt()).containsExactly(1, 2);
            assertThat(TestJson.parse(all.get(1).value()).at("/reported/estimate").asDouble()).isEqualTo(0.87);
        }
    }
}
