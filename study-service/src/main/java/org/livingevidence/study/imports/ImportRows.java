package org.livingevidence.study.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns an upload into one JSON object per row, shaped like the body of {@code POST .../outcome-records}, so that
 * every row goes through exactly the validation and derivation of a single submission. Reads as it goes and stops
 * at the first cap it meets (bytes, rows, length of a line), so a huge upload costs no more than the caps allow.
 *
 * <p>CSV: a header row; the record-level columns below, and every other column is a field of {@code reported}
 * (form, measure, estimate, lower, upper, ciLevel, pValue, pValueRelation, sided, ...). Empty cells are absent
 * values. JSON Lines: one request body per line; blank lines are skipped.
 */
final class ImportRows {

    /** A parsed row: its number in the file (data rows from 1), and its body or why it could not be read. */
    record Row(int number, ObjectNode body, String unreadable) {
    }

    /** The upload breaks a cap: more rows or bytes than an import takes. */
    static final class TooLarge extends IOException {
        private final boolean bytes;

        TooLarge(String message, boolean bytes) {
            super(message);
            this.bytes = bytes;
        }

        boolean bytes() {
            return bytes;
        }
    }

    /** An upload still arriving after its {@link Caps#receiveWithin}: a client trickling it holds its place. */
    static final class TooSlow extends IOException {
        TooSlow(String message) {
            super(message);
        }
    }

    /**
     * The caps of one upload: its bytes, rows and line length, and how long it may take to arrive (until
     * {@code receiveByNanos} of {@link System#nanoTime}; checked as its bytes arrive, and by {@link UploadCaps#read}'s
     * alarm when none do).
     */
    record Caps(long maxBytes, int maxRows, int maxLineChars, java.time.Duration receiveWithin, long receiveByNanos) {
    }

    private static final Set<String> RECORD_COLUMNS = Set.of("studyId", "studyLabel", "publicationYear", "studyDesign",
            "subgroup", "followUp", "reason");
    private static final Map<String, String> SOURCE_COLUMNS = Map.of("sourcePage", "page", "sourceTable", "table", "sourceQuote", "quote");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ImportRows() {
    }

    /** CSV rows from text already bounded by {@link #reader}. */
    static List<Row> csv(Reader text, Caps caps) throws IOException {
        List<Row> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            List<String> header = parser.getHeaderNames();
            int number = 0;
            for (CSVRecord record : parser) {
                number++;
                requireRowsWithin(number, caps);
                if (!record.isConsistent()) {
                    rows.add(new Row(number, null, "has " + record.size() + " cells; the header has " + header.size()));
                    continue;
                }
                rows.add(new Row(number, body(header, record), null));
            }
        }
        return rows;
    }

    static List<Row> jsonLines(InputStream upload, Caps caps, ObjectMapper mapper) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedReader lines = new BufferedReader(reader(upload, caps));
        int number = 0;
        StringBuilder line = new StringBuilder();
        while (readLine(lines, line, caps.maxLineChars())) {
            if (line.toString().isBlank()) {
                continue;
            }
            number++;
            requireRowsWithin(number, caps);
            if (line.length() > caps.maxLineChars()) {
                rows.add(new Row(number, null, "is longer than " + caps.maxLineChars() + " characters"));
                continue;
            }
            try {
                JsonNode node = mapper.readTree(line.toString());
                rows.add(node instanceof ObjectNode object ? new Row(number, object, null)
                        : new Row(number, null, "is not a JSON object"));
            } catch (JsonProcessingException e) {
                rows.add(new Row(number, null, "is not JSON: " + e.getOriginalMessage()));
            }
        }
        return rows;
    }

    /** Reads one line into {@code line}, keeping at most one character beyond {@code max} (the rest is skipped). */
    private static boolean readLine(BufferedReader in, StringBuilder line, int max) throws IOException {
        line.setLength(0);
        int c = in.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n') {
            if (line.length() <= max) {
                line.append((char) c);
            }
            c = in.read();
        }
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return true;
    }

    private static void requireRowsWithin(int number, Caps caps) throws TooLarge {
        if (number > caps.maxRows()) {
            throw new TooLarge("has more than " + caps.maxRows() + " rows; split it into uploads of at most " + caps.maxRows(), false);
        }
    }

    /** UTF-8 text of the upload, without a byte-order mark, failing as soon as it passes the byte cap. */
    static Reader reader(InputStream upload, Caps caps) throws IOException {
        java.io.PushbackInputStream withoutBom = new java.io.PushbackInputStream(bounded(upload, caps), 3);
        byte[] start = withoutBom.readNBytes(3);
        boolean bom = start.length == 3 && (start[0] & 0xff) == 0xef && (start[1] & 0xff) == 0xbb && (start[2] & 0xff) == 0xbf;
        if (!bom) {
            withoutBom.unread(start);
        }
        return new InputStreamReader(withoutBom, StandardCharsets.UTF_8);
    }

    /** The upload's bytes, failing as soon as they pass the byte cap. */
    static InputStream bounded(InputStream upload, Caps caps) {
        return new FilterInputStream(upload) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(0, n));
                return n;
            }

            private void count(int n) throws IOException {
                read += n;
                if (read > caps.maxBytes()) {
                    throw new TooLarge("is larger than " + caps.maxBytes() + " bytes; split it into smaller uploads", true);
                }
                if (n > 0 && System.nanoTime() - caps.receiveByNanos() > 0) {
                    throw new TooSlow(UploadCaps.tooSlowly(caps));
                }
            }
        };
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
        if (value.length() > 100) {
            return NODES.textNode(value);
        }
        try {
            return NODES.numberNode(new BigDecimal(value));
        } catch (NumberFormatException e) {
            return NODES.textNode(value);
        }
    }
}
