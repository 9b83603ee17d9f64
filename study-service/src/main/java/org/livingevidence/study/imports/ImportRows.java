package org.livingevidence.study.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns an upload into one JSON object per row, shaped like the body of {@code POST .../outcome-records}, so that
 * every row goes through exactly the validation and derivation of a single submission.
 *
 * <p>CSV: a header row; the record-level columns below, and every other column is a field of {@code reported}
 * (form, measure, estimate, lower, upper, ciLevel, pValue, pValueRelation, sided, ...). Empty cells are absent
 * values. JSON Lines: one request body per line; blank lines are skipped.
 */
final class ImportRows {

    /** A parsed row: its number in the file (data rows from 1), and its body or why it could not be read. */
    record Row(int number, ObjectNode body, String unreadable) {
    }

    private static final Set<String> RECORD_COLUMNS = Set.of("studyId", "studyLabel", "publicationYear", "studyDesign",
            "subgroup", "followUp", "reason");
    private static final Map<String, String> SOURCE_COLUMNS = Map.of("sourcePage", "page", "sourceTable", "table", "sourceQuote", "quote");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ImportRows() {
    }

    static List<Row> csv(String text) throws IOException {
        List<Row> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(stripBom(text)), format)) {
            List<String> header = parser.getHeaderNames();
            int number = 0;
            for (CSVRecord record : parser) {
                number++;
                if (!record.isConsistent()) {
                    rows.add(new Row(number, null, "has " + record.size() + " cells; the header has " + header.size()));
                    continue;
                }
                rows.add(new Row(number, body(header, record), null));
            }
        }
        return rows;
    }

    static List<Row> jsonLines(String text, ObjectMapper mapper) {
        List<Row> rows = new ArrayList<>();
        int number = 0;
        for (String line : stripBom(text).split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            number++;
            try {
                JsonNode node = mapper.readTree(line);
                rows.add(node instanceof ObjectNode object ? new Row(number, object, null)
                        : new Row(number, null, "is not a JSON object"));
            } catch (JsonProcessingException e) {
                rows.add(new Row(number, null, "is not JSON: " + e.getOriginalMessage()));
            }
        }
        return rows;
    }

    private static ObjectNode body(List<String> header, CSVRecord record) {
        ObjectNode body = NODES.objectNode();
        ObjectNode reported = NODES.objectNode();
        ObjectNode source = NODES.objectNode();
        for (String column : header) {
            String value = record.get(column);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (column.equals("publicationYear")) {
                body.set(column, number(value));
            } else if (RECORD_COLUMNS.contains(column)) {
                body.put(column, value);
            } else if (SOURCE_COLUMNS.containsKey(column)) {
                source.put(SOURCE_COLUMNS.get(column), value);
            } else {
                reported.set(column, number(value));
            }
        }
        if (!source.isEmpty()) {
            body.set("source", source);
        }
        if (!reported.isEmpty()) {
            body.set("reported", reported);
        }
        return body;
    }

    /** A number when the cell is one; otherwise text, which the typed mapping accepts or refuses with the field named. */
    private static JsonNode number(String value) {
        try {
            return NODES.numberNode(new BigDecimal(value));
        } catch (NumberFormatException e) {
            return NODES.textNode(value);
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
