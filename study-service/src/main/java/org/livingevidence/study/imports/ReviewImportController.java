package org.livingevidence.study.imports;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.Pico;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.questions.QuestionEntry;
import org.livingevidence.study.questions.QuestionRequest;
import org.livingevidence.study.revisions.IdempotencyKeys;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.study.revman.RevManCsv;
import org.livingevidence.study.revman.RevManRecords;
import org.livingevidence.study.revman.RevManReview;
import org.livingevidence.study.revman.RevManXml;
import org.livingevidence.support.digest.Sha256;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.security.Roles;

/**
 * Starts living questions from an existing review: a RevMan 5 file ({@code .rm5}) or RevMan's analysis CSV export.
 * Without {@code analysis} the response lists the review's analyses and stores nothing; with {@code analysis=1.2}
 * (repeatable) or {@code analysis=all} each named analysis becomes a question, defined from the review (PICO from its
 * group labels, model from RevMan's), and its study rows are imported as that question's records. Uploading the same
 * review again finds the same questions and changes nothing.
 */
@Controller("/api/v1/reviews/import")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReviewImportController {

    static final String ALL = "all";

    /**
     * What the review holds for one analysis and, when it was imported, the question it became.
     *
     * @param revmanMethod RevMan's pooling method (MH, IV, PETO) and {@code revmanModel} its model
     * @param revman       RevMan's own pooled result as the file stores it (natural scale), to compare with
     * @param measure      the measure the question pools, null when the analysis cannot become a question
     * @param notes        where the living estimate's method differs from RevMan's
     * @param questionId   the question made (or found again), null in a listing or when it could not be made
     * @param records      the row-by-row report of its records
     * @param errors       why the analysis did not become a question
     */
    public record AnalysisImport(String analysis, String comparison, String name, RevManReview.DataType dataType,
                                 String effectMeasure, String revmanMethod, String revmanModel, int studies,
                                 RevManReview.PooledResult revman, EffectMeasure measure, List<String> notes,
                                 String questionId, ImportReport records, List<FieldError> errors) {
    }

    /** @param title the review's title (absent from CSV exports) */
    public record ReviewImport(String title, List<AnalysisImport> analyses) {
    }

    private final QuestionEntry questions;
    private final RowImport rowImport;
    private final UploadCaps uploadCaps;

    ReviewImportController(QuestionEntry questions, RowImport rowImport, UploadCaps uploadCaps) {
        this.questions = questions;
        this.rowImport = rowImport;
        this.uploadCaps = uploadCaps;
    }

    /**
     * @param analysis         the analyses to import ("1.2", repeatable, or "all"); none: list them only
     * @param benefitDirection which side favours the intervention, when the review's graph labels do not say
     */
    @Post
    @Secured(Roles.CURATOR)
    @org.livingevidence.support.problems.UploadEndpoint
    @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML, RevManUploads.RM5, "text/csv"})
    ReviewImport importReview(@Body InputStream upload, @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                              @QueryValue @Nullable List<String> analysis, @QueryValue @Nullable BenefitDirection benefitDirection,
                              Authentication curator) {
        RevManReview review = uploadCaps.read(caps -> read(upload, contentType, caps));
        List<String> wanted = analysis == null ? List.of() : analysis.stream().flatMap(a -> List.of(a.split(",")).stream())
                .map(String::strip).filter(a -> !a.isEmpty()).toList();
        for (String number : wanted) {
            if (!number.equalsIgnoreCase(ALL) && review.analyses().stream().noneMatch(a -> a.number().equals(number))) {
                RevManUploads.select(review, number); // fails naming the analyses there are
            }
        }
        boolean all = wanted.stream().anyMatch(a -> a.equalsIgnoreCase(ALL));
        List<AnalysisImport> results = new ArrayList<>();
        for (RevManReview.Analysis a : review.analyses()) {
            boolean chosen = all || wanted.contains(a.number());
            results.add(chosen ? imported(review, a, benefitDirection, curator) : listed(a, null, null, List.of()));
        }
        return new ReviewImport(review.title(), results);
    }

    private static RevManReview read(InputStream upload, String contentType, ImportRows.Caps caps) {
        try {
            if (RevManUploads.isXml(contentType)) {
                return RevManXml.read(ImportRows.bounded(upload, caps), OutcomeRecordImportController.MAX_ROWS);
            }
            Reader text = RevManUploads.peekable(ImportRows.reader(upload, caps));
            if (!RevManUploads.startsAsRevManCsv(text)) {
                throw InputProblem.invalid("body", "is not RevMan's analysis export: its header lacks " + RevManCsv.KEY_COLUMNS
                        + " (to add records to an existing question, use POST /api/v1/questions/{id}/outcome-records/import)");
            }
            return RevManCsv.read(text, OutcomeRecordImportController.MAX_ROWS);
        } catch (RevManXml.Unreadable e) {
            throw InputProblem.invalid("body", "the upload " + e.getMessage());
        } catch (ImportRows.TooLarge e) {
            throw OutcomeRecordImportController.tooLarge(e);
        } catch (ImportRows.TooSlow e) {
            throw OutcomeRecordImportController.tooSlow(e);
        } catch (IOException e) {
            throw InputProblem.invalid("body", "could not be read: " + e.getMessage());
        }
    }

    private AnalysisImport imported(RevManReview review, RevManReview.Analysis a, BenefitDirection direction, Authentication curator) {
        List<FieldError> errors = new ArrayList<>();
        QuestionRequest request = question(review, a, direction, errors);
        if (request == null) {
            return listed(a, null, null, errors);
        }
        try {
            // The same analysis uploaded again maps to the same question (and its rows to the same records); a changed
            // one (its definition, its rows, how they are read) to a new question.
            String key = "revman-" + Sha256.hex(a.number() + "\n" + IdempotencyKeys.fingerprint(request) + "\n" + a.swapEvents() + "\n"
                    + a.naturalScale() + "\n" + a.rows()).substring(0, 40);
            QuestionRevised question = questions.define(request, curator, key).entity();
            ImportReport records = rowImport.store(question.questionId(),
                    OutcomeRecordImportController.rowsOf(a, question.effectMeasure()), curator, "bulk-import");
            return listed(a, question.questionId(), records, List.of());
        } catch (InputProblem problem) {
            return listed(a, null, null, problem.errors().isEmpty() ? List.of(new FieldError("analysis", problem.getMessage())) : problem.errors());
        } catch (RevisionedCollection.KeyReused reused) {
            return listed(a, null, null, List.of(new FieldError("analysis", a.number() + " was imported before with other figures under the same key")));
        }
    }

    /** The question an analysis becomes, or null with the reasons in {@code errors}. */
    static QuestionRequest question(RevManReview review, RevManReview.Analysis a, BenefitDirection direction, List<FieldError> errors) {
        EffectMeasure measure = a.measure().orElse(null);
        if (a.dataType() == RevManReview.DataType.O_E_AND_VARIANCE) {
            errors.add(new FieldError("analysis", a.number() + " holds O-E and variance data, which a question cannot pool: "
                    + "define a hazard-ratio question and enter each trial's HR with its interval"));
        } else if (measure == null) {
            errors.add(new FieldError("analysis", a.number() + " pools \"" + a.effectMeasure() + "\", which is not a measure a question pools "
                    + "(HR, RR, OR, RD, MD, SMD)"));
        }
        BenefitDirection benefit = direction != null ? direction : benefitFromGraphLabels(a);
        if (benefit == null) {
            errors.add(new FieldError("benefitDirection", "the review's graph labels (\"" + a.leftGraphLabel() + "\", \"" + a.rightGraphLabel()
                    + "\") do not say which side favours the intervention: give ?benefitDirection=LOWER or HIGHER"));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        String title = RevManRecords.cut(a.name() == null ? "Analysis " + a.number() : a.name()
                + (a.comparisonName() == null ? "" : " (" + a.comparisonName() + ")"), FieldLimits.QUESTION_TITLE);
        Pico pico = new Pico(RevManRecords.cut(review.title() == null ? "as in the imported review" : "as in the review \"" + review.title() + "\"", FieldLimits.PICO_ELEMENT),
                RevManRecords.cut(orDefault(a.groupLabel1(), "Experimental"), FieldLimits.PICO_ELEMENT),
                RevManRecords.cut(orDefault(a.groupLabel2(), "Control"), FieldLimits.PICO_ELEMENT),
                RevManRecords.cut(orDefault(a.name(), "Analysis " + a.number()), FieldLimits.PICO_ELEMENT));
        AnalysisSettings settings = new AnalysisSettings(alpha(a), a.random() ? AnalysisSettings.Model.RANDOM : AnalysisSettings.Model.FIXED,
                AnalysisSettings.Tau2Estimator.DL, AnalysisSettings.CiMethod.WALD, null, null);
        return new QuestionRequest(title, pico, measure, benefit, settings, List.of("revman-import"), null, null);
    }

    /** RevMan draws "Favours [experimental]" on the side where the intervention does better. */
    static BenefitDirection benefitFromGraphLabels(RevManReview.Analysis a) {
        boolean left = namesIntervention(a.leftGraphLabel(), a.groupLabel1());
        boolean right = namesIntervention(a.rightGraphLabel(), a.groupLabel1());
        if (left == right) {
            return null;
        }
        return left ? BenefitDirection.LOWER : BenefitDirection.HIGHER;
    }

    private static boolean namesIntervention(String graphLabel, String interventionLabel) {
        if (graphLabel == null) {
            return false;
        }
        String label = graphLabel.toLowerCase(Locale.ROOT);
        return label.contains("experimental") || label.contains("intervention") || label.contains("treatment")
                || (interventionLabel != null && !interventionLabel.isBlank() && label.contains(interventionLabel.toLowerCase(Locale.ROOT).strip()));
    }

    private static double alpha(RevManReview.Analysis a) {
        double level = a.ciLevel();
        return level > 0.5 && level < 1 ? Math.round((1 - level) * 1e6) / 1e6 : 0.05;
    }

    private static String orDefault(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text;
    }

    private static AnalysisImport listed(RevManReview.Analysis a, String questionId, ImportReport records, List<FieldError> errors) {
        return new AnalysisImport(a.number(), a.comparisonName(), a.name(), a.dataType(), a.effectMeasure(), a.method(),
                a.random() ? "RANDOM" : "FIXED", a.rows().size(), a.revman(), a.measure().orElse(null), notes(a), questionId, records,
                errors);
    }

    /** Where the living estimate's method differs from RevMan's for this analysis. */
    static List<String> notes(RevManReview.Analysis a) {
        List<String> notes = new ArrayList<>();
        String method = a.method() == null ? "IV" : a.method().toUpperCase(Locale.ROOT);
        if (method.equals("MH") || method.equals("PETO")) {
            notes.add("RevMan pooled this analysis with " + (method.equals("MH") ? "Mantel-Haenszel" : "Peto") + " weights; a living question "
                    + "pools with inverse-variance weights, so its estimate can differ slightly from RevMan's. Inverse variance in "
                    + "RevMan gives the same figures.");
        }
        if (a.measure().orElse(null) == EffectMeasure.SMD) {
            notes.add("RevMan's SMD uses Hedges' approximate correction and its own variance formula; the living estimate uses "
                    + "metafor's (exact correction, variance 1/n1 + 1/n2 + g^2/(2(n1 + n2))), so the two differ in the third decimal for small trials.");
        }
        if (a.swapEvents()) {
            notes.add("RevMan analyses non-events in this analysis; they were imported as the events.");
        }
        return notes;
    }
}
