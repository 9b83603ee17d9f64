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
import io.micronaut.http.annotation.QueryValue;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.revman.RevManCsv;
import org.livingevidence.study.revman.RevManRecords;
import org.livingevidence.study.revman.RevManReview;
import org.livingevidence.study.revman.RevManXml;
import org.livingevidence.study.outcomes.OutcomeRecordEntry;
import org.livingevidence.study.outcomes.OutcomeRecordRequest;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.digest.Sha256;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.ProblemTypes;
import org.livingevidence.support.problems.MalformedBodyHandler;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.security.Roles;

/**
 * Bulk import of outcome records for one question from CSV, JSON Lines, or one analysis of a RevMan 5 review (its
 * {@code .rm5} file, or its "Data and analyses" CSV export; {@code ?analysis=1.2} names the analysis). Rows are validated, derived and stored in
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

    private final RowImport rowImport;
    private final QuestionRepository questions;
    private final ObjectMapper mapper;
    private final UploadCaps uploadCaps;

    OutcomeRecordImportController(RowImport rowImport, QuestionRepository questions, ObjectMapper mapper, UploadCaps uploadCaps) {
        this.rowImport = rowImport;
        this.questions = questions;
        this.mapper = mapper;
        this.uploadCaps = uploadCaps;
    }

    @Post
    @Secured(Roles.CURATOR)
    @org.livingevidence.support.problems.UploadEndpoint
    @Consumes({"text/csv", JSON_LINES, "application/jsonl", MediaType.APPLICATION_XML, MediaType.TEXT_XML, RevManUploads.RM5})
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> importRecords(@PathVariable String questionId, @Body InputStream upload,
                                  @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                  @Header(HttpHeaders.ACCEPT) @Nullable String accept,
                                  @QueryValue @Nullable String analysis, Authentication curator) {
        QuestionRevised question = questions.find(questionId).orElseThrow(() -> InputProblem.notFound("question", questionId));
        List<ImportRows.Row> rows = parse(upload, contentType, analysis, question.effectMeasure());
        if (rows.isEmpty()) {
            throw InputProblem.invalid("body", "the upload is empty: send a CSV file with a header row, or JSON Lines");
        }
        ImportReport report = rowImport.store(questionId, rows, curator, "bulk-import");
        if (accept != null && accept.contains("text/csv")) {
            return HttpResponse.ok(csv(report)).contentType("text/csv")
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-report-" + questionId + ".csv\"");
        }
        return HttpResponse.ok(report).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private List<ImportRows.Row> parse(InputStream upload, String contentType, String analysis, EffectMeasure measure) {
        Received received = uploadCaps.read(caps -> receive(upload, contentType, analysis, caps));
        // Outside the read: a choice of analysis refused here is the client's mistake, never a late upload's 408.
        return received.review() == null ? received.rows() : rowsOf(RevManUploads.select(received.review(), analysis), measure);
    }

    /** An upload's body as read: a RevMan review, one of whose analyses is to be chosen, or rows. */
    private record Received(RevManReview review, List<ImportRows.Row> rows) {
    }

    private Received receive(InputStream upload, String contentType, String analysis, ImportRows.Caps caps) {
        try {
            if (RevManUploads.isXml(contentType)) {
                return new Received(RevManXml.read(ImportRows.bounded(upload, caps), MAX_ROWS), null);
            }
            if (!contentType.startsWith("text/csv")) {
                RevManUploads.requireNoAnalysis(analysis);
                return new Received(null, ImportRows.jsonLines(upload, caps, mapper));
            }
            java.io.Reader text = RevManUploads.peekable(ImportRows.reader(upload, caps));
            if (RevManUploads.startsAsRevManCsv(text)) {
                return new Received(RevManCsv.read(text, MAX_ROWS), null);
            }
            RevManUploads.requireNoAnalysis(analysis);
            return new Received(null, ImportRows.csv(text, caps));
        } catch (RevManXml.Unreadable e) {
            throw InputProblem.invalid("body", "the upload " + e.getMessage());
        } catch (ImportRows.TooLarge e) {
            throw tooLarge(e);
        } catch (ImportRows.TooSlow e) {
            throw tooSlow(e);
        } catch (IOException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // commons-csv reports a broken file (an unterminated quote, a duplicate header) this way.
            throw InputProblem.invalid("body", (RevManUploads.isXml(contentType) ? "could not be read: " : "is not readable CSV: ") + e.getMessage());
        }
    }

    static InputProblem tooSlow(ImportRows.TooSlow e) {
        return new InputProblem(408, ProblemTypes.REQUEST_TIMEOUT, "Request timeout", "the upload " + e.getMessage(),
                List.of(new FieldError("body", e.getMessage())));
    }

    static InputProblem tooLarge(ImportRows.TooLarge e) {
        if (e.bytes()) {
            return new InputProblem(413, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large", "the upload " + e.getMessage(),
                    List.of(new FieldError("body", e.getMessage())));
        }
        return InputProblem.invalid("body", e.getMessage());
    }

    /** A RevMan analysis's study rows as import rows, numbered from 1 in the analysis's order. */
    static List<ImportRows.Row> rowsOf(RevManReview.Analysis analysis, EffectMeasure measure) {
        List<RevManRecords.Body> bodies = RevManRecords.bodies(analysis, measure);
        List<ImportRows.Row> rows = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            rows.add(new ImportRows.Row(i + 1, bodies.get(i).body(), bodies.get(i).unreadable()));
        }
        return rows;
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
