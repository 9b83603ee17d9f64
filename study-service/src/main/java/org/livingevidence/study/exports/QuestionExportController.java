package org.livingevidence.study.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Post;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.outcomes.OutcomeRecordRepository;
import org.livingevidence.study.questions.QuestionRepository;
import org.livingevidence.support.problems.InputProblem;

/**
 * A question's data for other tools, as it stands or as of any instant: the CSV of what is pooled, an R script
 * that reproduces the estimate with metafor from it, and RevMan 5's analysis CSV (generic inverse variance); or, for
 * an estimate posted to it, exactly the record revisions that estimate pooled.
 */
@Controller("/api/v1/questions/{questionId}/export")
@ExecuteOn(TaskExecutors.BLOCKING)
public class QuestionExportController {

    static final String TEXT_CSV = "text/csv";

    private final QuestionRepository questions;
    private final OutcomeRecordRepository records;
    private final ObjectMapper json;
    private final Clock clock;

    QuestionExportController(QuestionRepository questions, OutcomeRecordRepository records, ObjectMapper json, Clock clock) {
        this.questions = questions;
        this.records = records;
        this.json = json;
        this.clock = clock;
    }

    /** @param asOf the question and its records as they stood at this instant */
    @Get("/records.csv")
    @Produces(TEXT_CSV)
    HttpResponse<String> recordsCsv(@PathVariable String questionId, @QueryValue @Nullable Instant asOf) {
        QuestionExport export = export(questionId, asOf);
        return file(export.recordsCsv(json), TEXT_CSV, questionId + "-" + QuestionExport.RECORDS_FILE);
    }

    /** @param asOf the question and its records as they stood at this instant */
    @Get("/metafor.R")
    @Produces("text/plain")
    HttpResponse<String> metaforScript(@PathVariable String questionId, @QueryValue @Nullable Instant asOf) {
        return file(export(questionId, asOf).metaforScript(json), "text/plain", questionId + "-metafor.R");
    }

    /**
     * The files for exactly the record revisions an estimate pooled: POST the estimate (as {@code GET .../estimate}
     * on analysis-service returns it, or as its event on {@code evidence.pooled-estimates.v1}); the R script then also
     * checks that it reproduces that estimate's figures.
     */
    @Post("/{file}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({TEXT_CSV, "text/plain"})
    HttpResponse<String> atEstimate(@PathVariable String questionId, @PathVariable String file, @Body @Nullable String estimateJson) {
        QuestionExport export = atEstimate(questionId, PublishedEstimates.parse(estimateJson, questionId));
        return switch (file) {
            case "records.csv" -> file(export.recordsCsv(json), TEXT_CSV, questionId + "-v" + export.published().estimateVersion() + "-records.csv");
            case "metafor.R" -> file(export.metaforScript(json), "text/plain", questionId + "-v" + export.published().estimateVersion() + "-metafor.R");
            case "revman.csv" -> revMan(export, questionId + "-v" + export.published().estimateVersion() + "-revman.csv");
            default -> throw InputProblem.notFound("export file (records.csv, metafor.R or revman.csv)", file);
        };
    }

    /** @param asOf the question and its records as they stood at this instant */
    @Get("/revman.csv")
    @Produces(TEXT_CSV)
    HttpResponse<String> revManCsv(@PathVariable String questionId, @QueryValue @Nullable Instant asOf) {
        return revMan(export(questionId, asOf), questionId + "-revman.csv");
    }

    private static HttpResponse<String> revMan(QuestionExport export, String name) {
        if (!export.revManCompatible()) {
            throw InputProblem.invalid("effectMeasure", "RevMan's generic inverse-variance outcome holds comparative effects; this question "
                    + "pools " + export.question().effectMeasure() + " (single-arm proportions): use records.csv");
        }
        return file(export.revManCsv(), TEXT_CSV, name);
    }

    /** The question as it stood when the estimate was computed, and exactly the record revisions it pooled. */
    private QuestionExport atEstimate(String questionId, PooledEstimateComputed estimate) {
        QuestionRevised question = questions.find(questionId, estimate.computedAt())
                .orElseThrow(() -> InputProblem.notFound("question (as of " + estimate.computedAt() + ")", questionId));
        PublishedEstimates.requireSettingsOf(question, estimate);
        Map<String, Long> wanted = new LinkedHashMap<>();
        estimate.studies().forEach(s -> wanted.put(s.recordId(), s.revision()));
        Map<String, OutcomeRecordRevised> found = records.revisions(wanted);
        List<OutcomeRecordRevised> pooled = new ArrayList<>();
        for (int i = 0; i < estimate.studies().size(); i++) {
            PooledEstimateComputed.StudyContribution s = estimate.studies().get(i);
            OutcomeRecordRevised record = found.get(s.recordId());
            if (record == null || !record.questionId().equals(questionId)) {
                throw InputProblem.invalid("studies[" + i + "]", "no revision " + s.revision() + " of a record " + s.recordId()
                        + " of this question: the estimate is not one of this question's");
            }
            pooled.add(record);
        }
        return new QuestionExport(question, pooled, null, clock.instant(), estimate);
    }

    private QuestionExport export(String questionId, Instant asOf) {
        QuestionRevised question = questions.find(questionId, asOf)
                .orElseThrow(() -> asOf == null ? InputProblem.notFound("question", questionId)
                        : InputProblem.notFound("question (as of " + asOf + ")", questionId));
        return new QuestionExport(question, records.activeRecords(questionId, asOf), asOf, clock.instant(), null);
    }

    private static HttpResponse<String> file(String body, String type, String name) {
        return HttpResponse.ok(body).contentType(type + "; charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
    }
}
