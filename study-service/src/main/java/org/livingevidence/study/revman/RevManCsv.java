package org.livingevidence.study.revman;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads RevMan 5's "Data and analyses" CSV export, the columns the R package meta's {@code read.rm5} reads:
 * "Comparison Number", "Outcome Number" and "Subgroup Number" on every row; a comparison's row (outcome 0), an
 * outcome's row (with its "Data Type", method, measure and model), subgroup rows (with a "df") and study rows.
 */
public final class RevManCsv {

    /** The columns that mark a RevMan export (an upload whose header has them is read as one). */
    public static final List<String> KEY_COLUMNS = List.of("Comparison Number", "Outcome Number", "Subgroup Number");

    private RevManCsv() {
    }

    /** Whether a CSV header is RevMan's (the first column may carry a byte-order mark). */
    public static boolean isRevManHeader(List<String> header) {
        return header.stream().map(RevManCsv::clean).toList().containsAll(KEY_COLUMNS);
    }

    public static RevManReview read(Reader in, int maxRows) throws RevManXml.Unreadable, IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).setAllowMissingColumnNames(true).get();
        try (CSVParser parser = CSVParser.parse(in, format)) {
            Map<String, Integer> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            List<String> header = parser.getHeaderNames();
            for (int i = 0; i < header.size(); i++) {
                columns.putIfAbsent(clean(header.get(i)), i);
            }
            if (!columns.keySet().containsAll(KEY_COLUMNS)) {
                throw new RevManXml.Unreadable("is not a RevMan 5 analysis export: its header lacks " + KEY_COLUMNS);
            }
            List<Builder> analyses = new ArrayList<>();
            Map<Integer, String> comparisons = new TreeMap<>();
            Builder current = null;
            String subgroup = null;
            int rows = 0;
            for (CSVRecord record : parser) {
                Cells cells = new Cells(columns, record);
                Integer comparison = RevManXml.integer(cells.get("Comparison Number"), null);
                Integer outcome = RevManXml.integer(cells.get("Outcome Number"), null);
                Integer group = RevManXml.integer(cells.get("Subgroup Number"), null);
                if (comparison == null || outcome == null || group == null) {
                    throw new RevManXml.Unreadable("row " + record.getRecordNumber() + " lacks a comparison, outcome or subgroup number");
                }
                if (outcome == 0) {
                    comparisons.put(comparison, cells.get("Name"));
                } else if (cells.present("Data Type")) {
                    if (analyses.size() >= RevManReview.MAX_ANALYSES) {
                        throw new RevManXml.Unreadable("has more than " + RevManReview.MAX_ANALYSES + " analyses");
                    }
                    current = new Builder(comparison, outcome, comparisons.get(comparison), cells);
                    analyses.add(current);
                    subgroup = null;
                } else if (current == null || current.comparisonNo != comparison || current.outcomeNo != outcome) {
                    throw new RevManXml.Unreadable("row " + record.getRecordNumber() + " comes before the row of its outcome "
                            + comparison + "." + outcome);
                } else if (group > 0 && cells.present("df")) {
                    subgroup = cells.get("Name");
                } else {
                    if (++rows > maxRows) {
                        throw new RevManXml.Unreadable("has more than " + maxRows + " study rows; an import takes at most " + maxRows);
                    }
                    current.rows.add(new RevManReview.Row(cells.get("Name"), RevManXml.integer(cells.get("Year of study"), null),
                            group > 0 ? subgroup : null, cells.number("Events 1"), cells.number("Total 1"), cells.number("Events 2"),
                            cells.number("Total 2"), cells.number("Mean 1"), cells.number("SD 1"), cells.number("Mean 2"),
                            cells.number("SD 2"), cells.number("Effect Estimate"), cells.number("SE"), cells.number("CI Start"),
                            cells.number("CI End")));
                }
            }
            if (analyses.isEmpty()) {
                throw new RevManXml.Unreadable("holds no outcome rows (a row with a \"Data Type\")");
            }
            return new RevManReview(null, analyses.stream().map(Builder::build).toList());
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new RevManXml.Unreadable("is not readable CSV: " + e.getMessage());
        }
    }

    private static String clean(String column) {
        return column == null ? "" : column.replace("\uFEFF", "").strip();
    }

    private record Cells(Map<String, Integer> columns, CSVRecord record) {
        String get(String column) {
            Integer i = columns.get(column);
            if (i == null || i >= record.size()) {
                return null;
            }
            String value = record.get(i);
            return value == null || value.isBlank() ? null : value.strip();
        }

        boolean present(String column) {
            return get(column) != null;
        }

        Double number(String column) {
            return RevManXml.number(get(column));
        }
    }

    private static final class Builder {
        final int comparisonNo;
        final int outcomeNo;
        final String comparisonName;
        final Cells outcome;
        final List<RevManReview.Row> rows = new ArrayList<>();

        Builder(int comparisonNo, int outcomeNo, String comparisonName, Cells outcome) {
            this.comparisonNo = comparisonNo;
            this.outcomeNo = outcomeNo;
            this.comparisonName = comparisonName;
            this.outcome = outcome;
        }

        RevManReview.Analysis build() {
            String type = outcome.get("Data Type").toUpperCase(Locale.ROOT);
            RevManReview.DataType dataType = type.startsWith("DIC") ? RevManReview.DataType.DICHOTOMOUS
                    : type.startsWith("CON") ? RevManReview.DataType.CONTINUOUS
                    : type.contains("O-E") || type.startsWith("IPD") || type.startsWith("O_E") ? RevManReview.DataType.O_E_AND_VARIANCE
                    : RevManReview.DataType.GENERIC_INVERSE_VARIANCE;
            String log = outcome.get("Entered data are on log scale (Generic Inverse Variance only)");
            String model = outcome.get("Analysis Model");
            String method = outcome.get("Statistical Method");
            Double level = RevManXml.number(outcome.get("Total Confidence Interval"));
            return new RevManReview.Analysis(comparisonNo, outcomeNo, comparisonName, outcome.get("Name"), dataType,
                    outcome.get("Effect Measure"), method == null ? "IV" : method.toUpperCase(Locale.ROOT),
                    model != null && model.toLowerCase(Locale.ROOT).startsWith("random"), level == null ? 0.95 : level / 100,
                    "YES".equalsIgnoreCase(outcome.get("Swap event and non-event")),
                    // meta's read.rm5: YES means the exported effect is the ratio itself (it was entered as a log and is shown as a ratio)
                    log == null ? null : "YES".equalsIgnoreCase(log),
                    outcome.get("Group Label 1"), outcome.get("Group Label 2"), outcome.get("Left Graph Label"),
                    outcome.get("Right Graph Label"),
                    new RevManReview.PooledResult(outcome.number("Effect Estimate"), outcome.number("CI Start"),
                            outcome.number("CI End"), outcome.number("Tau²"), outcome.number("I²(Q)"), outcome.number("Z"),
                            outcome.number("P(Z)")),
                    rows);
        }
    }
}
