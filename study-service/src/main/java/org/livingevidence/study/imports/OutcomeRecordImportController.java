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
 * Bulk import of outcome records for one question from CSV or JSON Lines. Rows are validated, derived and stored in
 * batches, each row on its own (one bad row does not stop the others) and atomically with its event; a row's idempotency key is a digest of the question and the row, so
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
    /** Rows checked and written together. */
    static final int BATCH = 500;

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
        ImportReport.RowResult[] results = new ImportReport.RowResult[rows.size()];
        List<Integer> readable = new ArrayList<>();
        List<OutcomeRecordEntry.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ImportRows.Row row = rows.get(i);
            try {
                candidates.add(candidate(questionId, row));
                readable.add(i);
            } catch (RowRefused refused) {
                results[i] = rejected(row, refused.errors);
            }
        }
        // Stored in batches: each batch's checks and writes are a few round trips, whatever its size.
        for (int from = 0; from < candidates.size(); from += BATCH) {
            int to = Math.min(candidates.size(), from + BATCH);
            List<OutcomeRecordEntry.Added> added = entry.addAll(questionId, candidates.subList(from, to), curator, "bulk-import");
            for (int n = from; n < to; n++) {
                ImportRows.Row row = rows.get(readable.get(n));
                OutcomeRecordEntry.Added a = added.get(n - from);
                results[readable.get(n)] = a.refused() != null ? rejected(row, errorsOf(a.refused()))
                        : new ImportReport.RowResult(row.number(), a.created().replayed() ? ImportReport.RowStatus.UNCHANGED
                        : ImportReport.RowStatus.ACCEPTED, a.created().entity().recordId(), List.of());
            }
        }
        ImportReport report = ImportReport.of(List.of(results));
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

    /** A row that cannot become a request, with why. */
    private static final class RowRefused extends Exception {
        private final List<FieldError> errors;

        RowRefused(List<FieldError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }

    /** The row as a request, with its idempotency key: a digest of the question and the row. */
    private OutcomeRecordEntry.Candidate candidate(String questionId, ImportRows.Row row) throws RowRefused {
        if (row.unreadable() != null) {
            throw new RowRefused(List.of(new FieldError("row", row.unreadable())));
        }
        try {
            OutcomeRecordRequest request = mapper.treeToValue(row.body(), OutcomeRecordRequest.class);
            if (request == null) {
                throw new RowRefused(List.of(new FieldError("row", "is empty")));
            }
            String key = "import-" + Sha256.hex(questionId + "\n" + mapper.writeValueAsString(row.body())).substring(0, 32);
            return new OutcomeRecordEntry.Candidate(request, key);
        } catch (JsonMappingException e) {
            String field = MalformedBodyHandler.fieldPath(e);
            String message = e instanceof UnrecognizedPropertyException ? "is not a known field (see the documented columns)"
                    : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new RowRefused(List.of(new FieldError(field.isEmpty() ? "row" : field, message)));
        } catch (JsonProcessingException e) {
            throw new RowRefused(List.of(new FieldError("row", e.getOriginalMessage())));
        }
    }

    private static List<FieldError> errorsOf(InputProblem problem) {
        return problem.errors().isEmpty() ? List.of(new FieldError("row", problem.getMessage())) : problem.errors();
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
