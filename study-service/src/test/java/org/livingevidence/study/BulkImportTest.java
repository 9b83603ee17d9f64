package org.livingevidence.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.study.imports.OutcomeRecordImportController;
import org.livingevidence.study.outcomes.OutcomeRecordRepository;
import org.livingevidence.contracts.Topics;
import org.livingevidence.testing.RealInfrastructure;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TestJson;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BulkImportTest implements RealInfrastructure {

    private static final String QUESTION = """
            {"title": "Local therapy for breast cancer liver metastases: overall survival",
             "pico": {"population": "Breast cancer liver metastases", "intervention": "Local therapy plus systemic therapy",
                      "comparator": "Systemic therapy alone", "outcome": "Overall survival"},
             "effectMeasure": "HR", "benefitDirection": "LOWER"}""";

    @Inject
    @Client("/")
    HttpClient http;

    /**
     * One import batch written at a time, so that uploads at once must wait their turn; while people write, 200 rows a
     * second, slower than a batch is written even on a cold start, so that the pace shows.
     */
    @Override
    public java.util.Map<String, String> getProperties() {
        return propertiesWith(java.util.Map.of("evidence.imports.concurrent-writes", "1",
                "evidence.imports.while-people-write.rows-per-second", "200"));
    }

    @Inject
    MongoDatabase database;

    private HttpResponse<String> upload(String questionId, String body, String contentType, String accept) {
        return http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records/import", body)
                .contentType(contentType).accept(accept).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    private String newQuestion() {
        return TestJson.parse(http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions", QUESTION)
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class).body())
                .get("questionId").asText();
    }

    private long stored(String questionId) {
        return database.getCollection(OutcomeRecordRepository.COLLECTION).countDocuments(Filters.eq("questionId", questionId));
    }

    @Test
    void theDocumentedTemplateImportsRowByRowAndASecondUploadChangesNothing() throws Exception {
        String questionId = newQuestion();
        String template = Files.readString(Path.of(System.getProperty("evidence.repository.root"), "docs/import/outcome-records-template.csv"));
        String csv = template + "Broken 2024,2024,RANDOMISED_TRIAL,,,,,,,RATIO_WITH_CI,HR,1.20,0.69,1.07,0.95,,,,,\n"
                + "Typo 2024,twenty,RANDOMISED_TRIAL,,,,,,,RATIO_WITH_CI,HR,0.9,0.8,1.0,0.95,,,,,\n";

        JsonNode first = TestJson.parse(upload(questionId, csv, "text/csv", MediaType.APPLICATION_JSON).body());
        assertThat(first.get("accepted").asInt()).isEqualTo(2);
        assertThat(first.get("rejected").asInt()).isEqualTo(2);
        assertThat(first.at("/rows/2/errors/0/field").asText()).startsWith("reported.");
        assertThat(first.at("/rows/2/errors/0/message").asText()).contains("does not contain the estimate");
        assertThat(first.at("/rows/3/errors/0/field").asText()).isEqualTo("publicationYear");
        assertThat(stored(questionId)).isEqualTo(2);

        JsonNode again = TestJson.parse(upload(questionId, csv, "text/csv", MediaType.APPLICATION_JSON).body());
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("unchanged").asInt()).isEqualTo(2);
        assertThat(again.at("/rows/0/recordId")).isEqualTo(first.at("/rows/0/recordId"));
        assertThat(stored(questionId)).isEqualTo(2);
    }

    @Test
    void uploadsBeyondTheConcurrentWritesWaitTheirTurnAndAllComplete() throws Exception {
        java.util.List<String> questions = java.util.List.of(newQuestion(), newQuestion(), newQuestion());
        // Two batches each (500 rows a batch), three uploads at once, one batch written at a time.
        String lines = rows("Trial", 600);
        java.util.concurrent.ExecutorService uploads = java.util.concurrent.Executors.newFixedThreadPool(questions.size());
        try {
            java.util.List<java.util.concurrent.Future<JsonNode>> reports = questions.stream().map(q -> uploads.submit(
                    () -> TestJson.parse(upload(q, lines, "application/x-ndjson", MediaType.APPLICATION_JSON).body()))).toList();
            for (int i = 0; i < questions.size(); i++) {
                assertThat(reports.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS).get("accepted").asInt()).isEqualTo(600);
                assertThat(stored(questions.get(i))).isEqualTo(600);
            }
        } finally {
            uploads.shutdownNow();
        }
    }

    @Test
    void jsonLinesImportAndTheReportDownloadsAsCsv() {
        String questionId = newQuestion();
        String lines = """
                {"studyLabel": "Zou 2025 (extrahepatic metastases)", "publicationYear": 2025, "subgroup": "extrahepatic metastases", "reported": {"form": "RATIO_WITH_P", "measure": "HR", "estimate": 0.58, "pValue": 0.047}}
                not json
                {"studyLabel": "Zou 2025", "reported": {"form": "RATIO_WITH_P", "measure": "HR", "estimate": 0.67, "pValue": 0.084}, "colour": "red"}
                """;

        HttpResponse<String> report = upload(questionId, lines, "application/x-ndjson", "text/csv");

        assertThat(report.header("Content-Disposition")).contains("attachment");
        assertThat(report.body().lines().toList()).first().isEqualTo("row,status,recordId,field,message");
        assertThat(report.body()).contains("1,ACCEPTED,r_").contains("2,REJECTED,,row,\"is not JSON").contains("3,REJECTED,,colour,is not a known field");
        assertThat(stored(questionId)).isEqualTo(1);
        // An import's record events go out from the relay's bulk lane, and say so.
        try (TopicReader reader = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.OUTCOME_RECORDS)) {
            assertThat(reader.await(1, r -> questionId.equals(r.key()), java.time.Duration.ofSeconds(30)))
                    .singleElement().satisfies(r -> assertThat(r.headers()).containsEntry("ce_lane", "bulk"));
        }
    }

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;
    @Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: its person's write slows every import of the next minute
    void whileAPersonWritesDuringAnUploadImportsGiveWayBatchByBatchAndStoreEveryRow() throws Exception {
        String questionId = newQuestion();
        double pacedBefore = paced();
        String lines = rows("Imported", 600);
        try (java.net.Socket held = new java.net.Socket("localhost", server.getPort())) {
            // An upload under way (its body not all sent): a record entered by hand now counts.
            UploadSockets.sendHeadersAndFirstRow(held.getOutputStream(), newQuestion());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> UploadSockets.inProgress(registry) >= 1);
            // A curator's single record: for the next minute imports keep to 200 rows a second on this instance (here).
            enterByHand(questionId, "Entered by hand");

            JsonNode report = TestJson.parse(upload(questionId, lines, "application/x-ndjson", MediaType.APPLICATION_JSON).body());

            assertThat(report.get("accepted").asInt()).isEqualTo(600);
            assertThat(stored(questionId)).isEqualTo(601);
            // Two batches (500 and 100 rows): the second waited for what is left of the first's 2.5 s.
            assertThat(paced() - pacedBefore).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aRecordEnteredWithNoUploadUnderWaySlowsNoImport() {
        String questionId = newQuestion();
        double pacedBefore = paced();
        enterByHand(questionId, "Entered before the upload");
        String lines = rows("Imported after", 600);

        assertThat(TestJson.parse(upload(questionId, lines, "application/x-ndjson", MediaType.APPLICATION_JSON).body())
                .get("accepted").asInt()).isEqualTo(600);
        assertThat(paced() - pacedBefore).isZero();
    }

    /** {@code count} JSON Lines rows of one hazard ratio each, labelled {@code label 0}, {@code label 1}, ... */
    private static String rows(String label, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "{\"studyLabel\": \"" + label + " " + i
                + "\", \"reported\": {\"form\": \"RATIO_WITH_P\", \"measure\": \"HR\", \"estimate\": 0.8, \"pValue\": 0.04}}")
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** One record entered by hand on {@code questionId}, as a curator does. */
    private void enterByHand(String questionId, String label) {
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId + "/outcome-records",
                "{\"studyLabel\": \"" + label + "\", \"reported\": {\"form\": \"RATIO_WITH_P\", \"measure\": \"HR\", "
                        + "\"estimate\": 0.7, \"pValue\": 0.03}}").contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
    }

    /** Batches paced so far (the counter exists once the first import has been stored). */
    private double paced() {
        io.micrometer.core.instrument.Counter counter = registry.find("evidence.imports.batches.paced").counter();
        return counter == null ? 0 : counter.count();
    }

    private int status(String questionId, String body, String contentType) {
        try {
            return upload(questionId, body, contentType, MediaType.APPLICATION_JSON).getStatus().getCode();
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
            assertThat(e.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
            return e.getStatus().getCode();
        }
    }

    @Test
    void anUploadBeyondItsRowOrByteCapIsRefusedWholeAndALongLineIsOneRejectedRow() {
        String questionId = newQuestion();
        String row = "{\"studyLabel\": \"S\", \"reported\": {\"form\": \"RATIO_WITH_P\", \"measure\": \"HR\", \"estimate\": 0.8, \"pValue\": 0.2}}\n";
        assertThat(status(questionId, row.repeat(OutcomeRecordImportController.MAX_ROWS + 1), "application/x-ndjson")).isEqualTo(422);
        assertThat(status(questionId, "x".repeat(17 * 1024 * 1024), "text/csv")).isEqualTo(413);
        // The router takes the path with a trailing slash as the import too: so does the body's cap (not JSON's 2 MiB).
        String padded = "{\"studyLabel\": \"S\", \"padding\": \"" + "p".repeat(600) + "\"}\n";
        HttpResponse<String> slashed = http.toBlocking().exchange(HttpRequest.POST("/api/v1/questions/" + questionId
                + "/outcome-records/import/", padded.repeat(4000)).contentType("application/x-ndjson")
                .bearerAuth(TestInfrastructure.ADMIN_API_KEY), String.class);
        assertThat(TestJson.parse(slashed.body()).get("rejected").asInt()).as("read whole, 2.4 MB, each row an unknown field").isEqualTo(4000);
        assertThat(stored(questionId)).isZero();

        String longLine = "{\"studyLabel\": \"" + "y".repeat(OutcomeRecordImportController.MAX_LINE_CHARS) + "\"}\n";
        JsonNode report = TestJson.parse(upload(questionId, longLine + row, "application/x-ndjson", MediaType.APPLICATION_JSON).body());
        assertThat(report.at("/rows/0/status").asText()).isEqualTo("REJECTED");
        assertThat(report.at("/rows/0/errors/0/message").asText()).contains("longer than");
        assertThat(report.at("/rows/1/status").asText()).isEqualTo("ACCEPTED");
    }
}
