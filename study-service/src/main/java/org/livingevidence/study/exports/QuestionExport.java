package org.livingevidence.study.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.livingevidence.contracts.events.AnalysisSettings;
import org.livingevidence.contracts.events.BenefitDirection;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;

/**
 * A question's pooled data in forms other tools read: the CSV of what was pooled, an R script that reproduces the
 * published estimate with metafor from that CSV, and RevMan 5's analysis CSV for a generic inverse-variance outcome.
 * Numbers are written as Java's shortest round-tripping decimal, so R reads back exactly the doubles that were
 * pooled.
 *
 * @param asOf      the instant the data stand at, or null for "as exported"
 * @param published the estimate whose record revisions these are, or null: the script then checks it reproduces it
 */
public record QuestionExport(QuestionRevised question, List<OutcomeRecordRevised> records, Instant asOf, Instant exportedAt,
                             PooledEstimateComputed published) {

    /** The figures the script prints, named by their path in the estimate event. */
    static final List<String> FIGURES = List.of("k", "fixedEffect.estimate", "fixedEffect.standardError", "fixedEffect.ciLower",
            "fixedEffect.ciUpper", "fixedEffect.zValue", "fixedEffect.pValue", "fixedEffect.natural.estimate",
            "fixedEffect.natural.ciLower", "fixedEffect.natural.ciUpper", "randomEffects.estimate", "randomEffects.standardError",
            "randomEffects.ciLower", "randomEffects.ciUpper", "randomEffects.zValue", "randomEffects.pValue",
            "randomEffects.natural.estimate", "randomEffects.natural.ciLower", "randomEffects.natural.ciUpper", "heterogeneity.q",
            "heterogeneity.pValue", "heterogeneity.iSquared", "heterogeneity.hSquared", "heterogeneity.tau2",
            "predictionInterval.lower", "predictionInterval.upper", "tau2ConfidenceInterval.lower", "tau2ConfidenceInterval.upper");

    /** The CSV's name in the R script's default. */
    public static final String RECORDS_FILE = "records.csv";

    private static final List<String> RECORD_COLUMNS = List.of("recordId", "revision", "studyLabel", "publicationYear", "subgroup",
            "studyDesign", "measure", "scale", "yi", "vi", "sei", "form", "reported", "derivation", "approximate",
            "seIsUpperBound", "warnings", "revisedAt");

    /** One row per active record: the effect and variance on the analysis scale, and the figures they came from. */
    public String recordsCsv(ObjectMapper json) {
        return csv(RECORD_COLUMNS, printer -> {
            for (OutcomeRecordRevised r : records) {
                double se = r.derived().standardError();
                com.fasterxml.jackson.databind.JsonNode reported = json.valueToTree(r.reported());
                printer.printRecord(r.recordId(), r.revision(), text(r.studyLabel()), r.publicationYear(), text(r.subgroup()),
                        r.studyDesign(), r.derived().measure(), r.derived().scale(), r.derived().estimate(), se * se, se,
                        reported.path("form").asText(), reported.toString(), text(r.derived().method()),
                        r.derived().approximate(), r.derived().standardErrorIsUpperBound(), text(String.join("; ", r.derived().warnings())),
                        r.revisedAt());
            }
        });
    }

    /** An R script that fits the question's model with metafor and prints every figure the estimate event carries. */
    public String metaforScript(ObjectMapper json) {
        AnalysisSettings s = question.settings();
        EffectMeasure measure = question.effectMeasure();
        double level = 100 * (1 - s.alpha());
        boolean hksj = s.ciMethod() == AnalysisSettings.CiMethod.HKSJ;
        String shift = measure == EffectMeasure.PLO ? "qlogis(" + s.referenceProportion() + ")" : "0";
        String transform = switch (measure.scale()) {
            case LOG -> "exp";
            case LOGIT -> "plogis";
            default -> "identity";
        };
        StringBuilder r = new StringBuilder();
        r.append("# Reproduces the living estimate of question ").append(question.questionId()).append(" with metafor.\n");
        r.append("# ").append(oneLine(question.title())).append('\n');
        r.append("# Records: ").append(records.size()).append(published != null ? ", the revisions estimate version "
                + published.estimateVersion() + " (computed at " + published.computedAt() + ") pooled"
                : asOf == null ? " active, as exported at " + exportedAt : " active, as they stood at " + asOf).append(".\n");
        r.append("# Effect measure ").append(measure).append(", pooled on the ").append(measure.scale().name().toLowerCase(Locale.ROOT))
                .append(" scale; ").append(s.model() == AnalysisSettings.Model.RANDOM ? "conclusions from the random-effects model" : "conclusions from the fixed-effect model")
                .append("; tau^2 estimator ").append(s.tau2Estimator()).append("; ").append(hksj ? "Hartung-Knapp-Sidik-Jonkman" : "Wald")
                .append(" intervals at ").append(fmt(level)).append("%.\n");
        if (measure == EffectMeasure.PLO) {
            r.append("# Single-arm proportions: z and p test the pooled logit against the reference proportion ")
                    .append(s.referenceProportion()).append(".\n");
        }
        r.append("#\n# Run:   Rscript metafor.R ").append(RECORDS_FILE).append("\n");
        r.append("# Needs: R and metafor (install.packages(\"metafor\")). Compare the printed figures with the estimate event\n");
        r.append("#        (GET /api/v1/questions/").append(question.questionId())
                .append("/estimate on analysis-service, or evidence.pooled-estimates.v1): they agree to 1e-6.\n");
        r.append("# Not reproduced here: certainty, conclusions and trial sequential analysis.\n");
        if (hksj) {
            r.append("# When all studies agree exactly (q = 0), the service floors the HKSJ standard error at the Wald one, which\n")
                    .append("# metafor 3.8 does not do: only then do the random-effects interval and p differ.\n");
        }
        r.append('\n');
        r.append("suppressPackageStartupMessages(library(metafor))\n");
        r.append("args <- commandArgs(trailingOnly = TRUE)\n");
        r.append("dat <- read.csv(if (length(args) >= 1) args[1] else \"").append(RECORDS_FILE).append("\", stringsAsFactors = FALSE)\n");
        r.append("level <- ").append(fmt(level)).append('\n');
        r.append("shift <- ").append(shift).append("  # the null on the analysis scale\n");
        r.append("k <- nrow(dat)\n");
        r.append("fe <- rma(yi - shift, vi, data = dat, method = \"FE\", level = level)\n");
        r.append("# metafor needs two studies for a between-study variance and for t with k - 1 df; so does the service\n");
        r.append("re <- rma(yi - shift, vi, data = dat, method = if (k >= 2) \"").append(s.tau2Estimator()).append("\" else \"FE\",\n")
                .append("          test = ").append(hksj ? "if (k >= 2) \"knha\" else \"z\"" : "\"z\"").append(", level = level")
                .append(s.tau2Estimator() == AnalysisSettings.Tau2Estimator.REML || s.tau2Estimator() == AnalysisSettings.Tau2Estimator.ML
                        || s.tau2Estimator() == AnalysisSettings.Tau2Estimator.PM || s.tau2Estimator() == AnalysisSettings.Tau2Estimator.EB
                        ? ", control = list(maxiter = 10000, threshold = 1e-12, tol = 1e-12)" : "")
                .append(")\n");
        r.append("pred <- predict(re)\n");
        r.append("transf <- ").append(transform).append('\n');
        r.append("got <- numeric(0)\n");
        r.append("show <- function(name, value) {\n  got[name] <<- value\n  cat(sprintf(\"%-36s %.15g\\n\", name, value))\n}\n");
        r.append("show(\"k\", k)\n");
        r.append("for (m in list(list(\"fixedEffect\", fe), list(\"randomEffects\", re))) {\n");
        r.append("  fit <- m[[2]]\n");
        r.append("  show(paste0(m[[1]], \".estimate\"), coef(fit) + shift)\n");
        r.append("  show(paste0(m[[1]], \".standardError\"), fit$se)\n");
        r.append("  show(paste0(m[[1]], \".ciLower\"), fit$ci.lb + shift)\n");
        r.append("  show(paste0(m[[1]], \".ciUpper\"), fit$ci.ub + shift)\n");
        r.append("  show(paste0(m[[1]], \".zValue\"), fit$zval)\n");
        r.append("  show(paste0(m[[1]], \".pValue\"), fit$pval)\n");
        r.append("  show(paste0(m[[1]], \".natural.estimate\"), transf(coef(fit) + shift))\n");
        r.append("  show(paste0(m[[1]], \".natural.ciLower\"), transf(fit$ci.lb + shift))\n");
        r.append("  show(paste0(m[[1]], \".natural.ciUpper\"), transf(fit$ci.ub + shift))\n");
        r.append("}\n");
        r.append("show(\"heterogeneity.q\", re$QE)\n");
        r.append("if (k >= 2) {\n");
        r.append("  show(\"heterogeneity.pValue\", re$QEp)\n");
        r.append("  show(\"heterogeneity.iSquared\", re$I2)\n");
        r.append("  show(\"heterogeneity.hSquared\", re$H2)\n");
        r.append("  show(\"heterogeneity.tau2\", re$tau2)\n");
        r.append("  show(\"predictionInterval.lower\", pred$pi.lb + shift)\n");
        r.append("  show(\"predictionInterval.upper\", pred$pi.ub + shift)\n");
        r.append("  # the service solves the Q-profile bounds exactly and without metafor's default search cap (tau2.max = 100)\n");
        r.append("  tau2ci <- confint(re, control = list(tau2.max = 1e12, tol = 1e-12, maxiter = 10000))$random[\"tau^2\", ]\n");
        r.append("  show(\"tau2ConfidenceInterval.lower\", tau2ci[[\"ci.lb\"]])\n");
        r.append("  show(\"tau2ConfidenceInterval.upper\", tau2ci[[\"ci.ub\"]])\n");
        r.append("}\n");
        if (published != null) {
            appendCheck(r, json);
        }
        return r.toString();
    }

    /** Compares every printed figure with the published estimate's, and fails the script beyond 1e-6 relative. */
    private void appendCheck(StringBuilder r, ObjectMapper json) {
        com.fasterxml.jackson.databind.JsonNode event = json.valueToTree(published);
        List<String> known = new java.util.ArrayList<>();
        for (String figure : FIGURES) {
            com.fasterxml.jackson.databind.JsonNode value = event.at("/" + figure.replace('.', '/'));
            if (value.isNumber() && Double.isFinite(value.asDouble())) {
                known.add("  \"" + figure + "\" = " + value.asDouble());
            }
        }
        r.append("\n# The figures estimate version ").append(published.estimateVersion()).append(" published\n");
        r.append("published <- c(\n").append(String.join(",\n", known)).append(")\n");
        r.append("compared <- intersect(names(published), names(got))\n");
        r.append("# relative differences, and absolute ones for figures that are 0 (tau^2 and its lower bound, often)\n");
        r.append("difference <- abs(got[compared] - published[compared])\n");
        r.append("difference <- ifelse(abs(published[compared]) > 1e-12, difference / abs(published[compared]), difference)\n");
        r.append("cat(sprintf(\"largest relative difference from estimate version ").append(published.estimateVersion())
                .append(": %.2g (%s)\\n\", max(difference), names(which.max(difference))))\n");
        r.append("if (max(difference) > 1e-6) {\n  message(\"metafor does not reproduce the published estimate to 1e-6\")\n  quit(status = 1)\n}\n");
        r.append("cat(\"metafor reproduces the published estimate to 1e-6\\n\")\n");
    }

    /** Whether RevMan's generic inverse-variance outcome can hold this question's effects (comparative measures only). */
    public boolean revManCompatible() {
        return question.effectMeasure().comparative();
    }

    /**
     * RevMan 5's analysis export for one generic inverse-variance outcome (comparison 1, outcome 1): effects on the
     * natural scale with the SE on the analysis scale, as RevMan displays them ("Entered data are on log scale": YES,
     * which in RevMan's export means the shown effect is the ratio of the entered log); this service's RevMan CSV
     * import, like meta's read.rm5, reads it back to the same effects.
     */
    public String revManCsv() {
        EffectMeasure measure = question.effectMeasure();
        boolean ratio = measure.scale() == EffectMeasure.Scale.LOG;
        String intervention = label(question.pico().intervention());
        String comparator = label(question.pico().comparator());
        boolean lowerFavours = question.benefitDirection() == BenefitDirection.LOWER;
        String left = "Favours " + (lowerFavours ? intervention : comparator);
        String right = "Favours " + (lowerFavours ? comparator : intervention);
        String model = question.settings().model() == AnalysisSettings.Model.RANDOM ? "Random" : "Fixed";
        List<String> header = List.of("Comparison Number", "Outcome Number", "Subgroup Number", "Name", "Data Type",
                "Statistical Method", "Effect Measure", "Analysis Model", "Effect Estimate", "SE", "CI Start", "CI End",
                "Total Confidence Interval", "Group Label 1", "Group Label 2", "Left Graph Label", "Right Graph Label", "Year of study",
                "Entered data are on log scale (Generic Inverse Variance only)");
        return csv(header, printer -> {
            printer.printRecord(1, 0, 0, text(intervention + " versus " + comparator), "", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
            printer.printRecord(1, 1, 0, text(oneLine(question.title())), "IV", "IV", revManMeasure(measure), model, "", "", "", "",
                    fmt(100 * (1 - question.settings().alpha())), text(intervention), text(comparator), text(left), text(right), "", "YES");
            for (OutcomeRecordRevised r : records) {
                double y = r.derived().estimate();
                double se = r.derived().standardError();
                double half = 1.959963984540054 * se;
                String name = r.subgroup() == null ? r.studyLabel() : r.studyLabel() + " (" + r.subgroup() + ")";
                printer.printRecord(1, 1, 0, text(name), "", "", "", "", ratio ? Math.exp(y) : y, se, ratio ? Math.exp(y - half) : y - half,
                        ratio ? Math.exp(y + half) : y + half, "", "", "", "", "", r.publicationYear() == null ? "" : r.publicationYear(), "");
            }
        });
    }

    /**
     * Free text as a CSV cell that a spreadsheet shows as text: a cell starting with =, +, -, @ or a control character
     * would be run as a formula when the file is opened in a spreadsheet (CSV injection), so it gets a leading quote.
     */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + value : value;
    }

    private static String revManMeasure(EffectMeasure measure) {
        return switch (measure) {
            case HR -> "Hazard Ratio";
            case RR -> "Risk Ratio";
            case OR -> "Odds Ratio";
            case RD -> "Risk Difference";
            case MD -> "Mean Difference";
            case SMD -> "Std. Mean Difference";
            default -> measure.name();
        };
    }

    private static String label(String text) {
        String line = oneLine(text);
        return line.length() <= 40 ? line : line.substring(0, 39) + "…";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString(Math.round(value)) : Double.toString(value);
    }

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String csv(List<String> header, Rows rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator("\n").get())) {
            rows.print(printer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
