package org.livingevidence.study.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.study.outcomes.OutcomeRecordEntry;
import org.livingevidence.study.outcomes.OutcomeRecordRequest;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.digest.Sha256;
import org.livingevidence.support.problems.BodySizeLimit;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.ProblemTypes;
import org.livingevidence.support.problems.MalformedBodyHandler;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.security.Roles;

/**
 * Bulk import of outcome records for one question from CSV or JSON Lines. Rows are validated, derived and stored one
 * by one, each atomically with its event; a row's idempotency key is a digest of the question and the row, so
 * uploading the same file again changes nothing (its rows come back UNCHANGED). The report is JSON, or CSV with
 * {@code Accept: text/csv}.
 */
@Controller("/api/v1/questions/{questionId}/outcome-records/import")
@io.micronaut.scheduling.annotation.ExecuteOn(io.micronaut.scheduling.TaskExecutors.BLOCKING)
public class OutcomeRecordImportController {

    public static final int MAX_ROWS = 5000;
    /** A JSON Lines row can be no longer: a record at every field's maximum is a few kilobytes. */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    static final String JSON_LINES = "application/x-ndjson";

    private final OutcomeRecordEntry entry;
    private final QuestionRepository questions;
    private final ObjectMapper mapper;

    OutcomeRecordImportController(OutcomeRecordEntry entry, QuestionRepository questions, ObjectMapper mapper) {
        this.entry = entry;
        this.questions = questions;
        this.mapper = mapper;
    }

    @Post
    @Secured(Roles.CURATOR)
    @Consumes({"text/csv", JSON_LINES, "application/jsonl"})
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> importRecords(@PathVariable String questionId, @Body InputStream upload,
                                  @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                  @Header(HttpHeaders.ACCEPT) @Nullable String accept, Authentication curator) {
        questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        List<ImportRows.Row> rows = parse(upload, contentType);
        if (rows.isEmpty()) {
            throw InputProblem.invalid("body", "the upload is empty: send a CSV file with a header row, or JSON Lines");
        }
        List<ImportReport.RowResult> results = new ArrayList<>(rows.size());
        for (ImportRows.Row row : rows) {
            results.add(importRow(questionId, row, curator));
        }
        ImportReport report = ImportReport.of(results);
        if (accept != null && accept.contains("text/csv")) {
            return HttpResponse.ok(csv(report)).contentType("text/csv")
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-report-" + questionId + ".csv\"");
        }
        return HttpResponse.ok(report).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private List<ImportRows.Row> parse(InputStream upload, String contentType) {
        ImportRows.Caps caps = new ImportRows.Caps(BodySizeLimit.UPLOAD_BYTES, MAX_ROWS, MAX_LINE_CHARS);
        try {
            return contentType.startsWith("text/csv") ? ImportRows.csv(upload, caps) : ImportRows.jsonLines(upload, caps, mapper);
        } catch (ImportRows.TooLarge e) {
            if (e.bytes()) {
                throw new InputProblem(413, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large", "the upload " + e.getMessage(),
                        List.of(new FieldError("body", e.getMessage())));
            }
            throw InputProblem.invalid("body", e.getMessage());
        } catch (IOException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // commons-csv reports a broken file (an unterminated quote, a duplicate header) this way.
            throw InputProblem.invalid("body", "is not readable CSV: " + e.getMessage());
        }
    }

    private ImportReport.RowResult importRow(String questionId, ImportRows.Row row, Authentication curator) {
        if (row.unreadable() != null) {
            return rejected(row, List.of(new FieldError("row", row.unreadable())));
        }
        try {
            OutcomeRecordRequest request = mapper.treeToValue(row.body(), OutcomeRecordRequest.class);
            String key = "import-" + Sha256.hex(questionId + "\n" + mapper.writeValueAsString(row.body())).substring(0, 32);
            RevisionedCollection.Created<OutcomeRecordRevised> created = entry.add(questionId, request, curator, key, "bulk-import");
            return new ImportReport.RowResult(row.number(), created.replayed() ? ImportReport.RowStatus.UNCHANGED
                    : ImportReport.RowStatus.ACCEPTED, created.entity().recordId(), List.of());
        } catch (InputProblem problem) {
            return rejected(row, problem.errors().isEmpty() ? List.of(new FieldError("row", problem.getMessage())) : problem.errors());
        } catch (JsonMappingException e) {
            String field = MalformedBodyHandler.fieldPath(e);
            String message = e instanceof UnrecognizedPropertyException ? "is not a known field (see the documented columns)"
                    : e.getOriginalMessage().lines().findFirst().orElse("");
            return rejected(row, List.of(new FieldError(field.isEmpty() ? "row" : field, message)));
        } catch (JsonProcessingException e) {
            return rejected(row, List.of(new FieldError("row", e.getOriginalMessage())));
        }
    }

    private static ImportReport.RowResult rejected(ImportRows.Row row, List<FieldError> errors) {
        return new ImportReport.RowResult(row.number(), ImportReport.RowStatus.REJECTED, null, errors);
    }

    private static String csv(ImportReport report) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader("row", "status", "recordId", "field", "message").get())) {
            for (ImportReport.RowResult r : report.rows()) {
                if (r.errors().isEmpty()) {
                    printer.printRecord(r.row(), r.status(), r.recordId(), "", "");
                }
                for (FieldError e : r.errors()) {
                    printer.printRecord(r.row(), r.status(), "", e.field(), e.message());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

}
