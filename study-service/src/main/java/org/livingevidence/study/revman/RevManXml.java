package org.livingevidence.study.revman;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the analyses of a RevMan 5 review file ({@code .rm5}, XML) in one pass, as the R package meta's
 * {@code read.rm5} reads them: {@code DICH_OUTCOME}, {@code CONT_OUTCOME} and {@code IV_OUTCOME} with their
 * subgroups and {@code *_DATA} rows, and the included studies' names and years.
 *
 * <p>Hostile XML is refused before anything is read from it: a document type declaration (the carrier of entity
 * expansion and external entities) is an error, external entities and DTDs are switched off in the parser as well,
 * and the number of rows and the length of any text are capped.
 */
public final class RevManXml {

    /** The file is not a review we can read; the message says why, for a curator. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> OUTCOMES = Set.of("DICH_OUTCOME", "CONT_OUTCOME", "IV_OUTCOME", "IPD_OUTCOME");
    private static final Set<String> SUBGROUPS = Set.of("DICH_SUBGROUP", "CONT_SUBGROUP", "IV_SUBGROUP", "IPD_SUBGROUP");
    private static final Set<String> DATA = Set.of("DICH_DATA", "CONT_DATA", "IV_DATA", "IPD_DATA");
    private static final int MAX_TEXT = 10_000;
    private static final int MAX_DEPTH = 64;

    private final int maxRows;
    private final Map<String, String[]> studies = new HashMap<>();
    private final List<PendingAnalysis> analyses = new ArrayList<>();
    private final Deque<String> path = new ArrayDeque<>();
    private String title;
    private int comparisonNo;
    private String comparisonName;
    private PendingAnalysis current;
    private String subgroup;
    private int rows;
    private int studiesSeen;

    private RevManXml(int maxRows) {
        this.maxRows = maxRows;
    }

    /** Reads a review from {@code in}, which the caller bounds in bytes. */
    public static RevManReview read(InputStream in, int maxRows) throws Unreadable, java.io.IOException {
        return new RevManXml(maxRows).parse(in);
    }

    private static XMLInputFactory factory() {
        // The JDK's own parser, whatever else the classpath brings: these settings are checked against it.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    private RevManReview parse(InputStream in) throws Unreadable, java.io.IOException {
        XMLStreamReader xml = null;
        try {
            xml = factory().createXMLStreamReader(in);
            boolean root = false;
            while (xml.hasNext()) {
                int event = xml.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new Unreadable(
                            "has a document type declaration (<!DOCTYPE>): RevMan files have none, and entity declarations are refused");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new Unreadable(
                            "refers to the entity &" + xml.getLocalName() + "; which is not declared (entities are refused)");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (!root) {
                            if (!xml.getLocalName().equals("COCHRANE_REVIEW")) {
                                throw new Unreadable("is XML but not a RevMan 5 review: its root element is <" + xml.getLocalName()
                                        + ">, not <COCHRANE_REVIEW>");
                            }
                            root = true;
                        }
                        start(xml);
                    }
                    case XMLStreamConstants.END_ELEMENT -> end(xml.getLocalName());
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException e) {
            for (Throwable cause = e.getNestedException() != null ? e.getNestedException() : e.getCause(); cause != null;
                 cause = cause.getCause()) {
                if (cause instanceof java.io.IOException io) {
                    throw io; // the upload's own limits (its size) speak for themselves
                }
            }
            String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("^ParseError at \\[row,col\\]:\\[(\\d+),(\\d+)\\]\\s*Message:\\s*", "line $1, column $2: ");
            throw new Unreadable("is not well-formed XML: " + message.strip());
        } finally {
            close(xml);
        }
        if (analyses.isEmpty()) {
            throw new Unreadable("holds no analyses (no DICH_OUTCOME, CONT_OUTCOME or IV_OUTCOME under ANALYSES_AND_DATA)");
        }
        return new RevManReview(title, analyses.stream().map(this::complete).toList());
    }

    private void start(XMLStreamReader xml) throws XMLStreamException, Unreadable {
        String name = xml.getLocalName();
        if (path.size() >= MAX_DEPTH) {
            throw new Unreadable("nests elements deeper than " + MAX_DEPTH + " levels");
        }
        String parent = path.peek();
        path.push(name);
        if (name.equals("TITLE") && "COVER_SHEET".equals(parent) && title == null) {
            title = text(xml);
        } else if (name.equals("STUDY") && path.contains("STUDIES")) {
            if (++studiesSeen > RevManReview.MAX_STUDIES) {
                throw new Unreadable("lists more than " + RevManReview.MAX_STUDIES + " studies");
            }
            attributes(xml); // checks the attributes' lengths
            studies.put(xml.getAttributeValue(null, "ID"), new String[] {xml.getAttributeValue(null, "NAME"), xml.getAttributeValue(null, "YEAR")});
        } else if (name.equals("COMPARISON")) {
            comparisonNo = integer(xml.getAttributeValue(null, "NO"), 0);
            comparisonName = null;
        } else if (OUTCOMES.contains(name)) {
            if (analyses.size() >= RevManReview.MAX_ANALYSES) {
                throw new Unreadable("has more than " + RevManReview.MAX_ANALYSES + " analyses");
            }
            current = new PendingAnalysis(name, comparisonNo, comparisonName, attributes(xml));
            subgroup = null;
        } else if (SUBGROUPS.contains(name)) {
            subgroup = "";
        } else if (DATA.contains(name) && current != null) {
            if (++rows > maxRows) {
                throw new Unreadable("has more than " + maxRows + " study rows; an import takes at most " + maxRows);
            }
            current.rows.add(new PendingRow(subgroup == null || subgroup.isEmpty() ? null : subgroup, attributes(xml)));
        } else if (name.equals("NAME")) {
            String text = text(xml);
            if ("COMPARISON".equals(parent)) {
                comparisonName = text;
            } else if (parent != null && OUTCOMES.contains(parent) && current != null) {
                current.texts.put("NAME", text);
            } else if (parent != null && SUBGROUPS.contains(parent)) {
                subgroup = text;
            }
        } else if (current != null && parent != null && OUTCOMES.contains(parent)
                && Set.of("GROUP_LABEL_1", "GROUP_LABEL_2", "GRAPH_LABEL_1", "GRAPH_LABEL_2", "EFFECT_MEASURE").contains(name)) {
            current.texts.put(name, text(xml));
        }
    }

    private void end(String name) {
        if (!path.isEmpty() && path.peek().equals(name)) {
            path.pop();
        }
        if (OUTCOMES.contains(name) && current != null) {
            analyses.add(current);
            current = null;
        } else if (SUBGROUPS.contains(name)) {
            subgroup = null;
        }
    }

    /** The text inside the current element, nested markup included; consumes its end tag. */
    private String text(XMLStreamReader xml) throws XMLStreamException, Unreadable {
        StringBuilder text = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (path.size() + depth > MAX_DEPTH) {
                    throw new Unreadable("nests elements deeper than " + MAX_DEPTH + " levels");
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                if (text.length() + xml.getTextLength() > MAX_TEXT) {
                    throw new Unreadable("has a text longer than " + MAX_TEXT + " characters in <" + path.peek() + ">");
                }
                text.append(xml.getText());
            } else if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new Unreadable("refers to the entity &" + xml.getLocalName() + "; which is not declared (entities are refused)");
            }
        }
        path.pop();
        return text.toString().replaceAll("\\s+", " ").strip();
    }

    private static Map<String, String> attributes(XMLStreamReader xml) throws Unreadable {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            String value = xml.getAttributeValue(i);
            if (value.length() > MAX_TEXT) {
                throw new Unreadable("has an attribute longer than " + MAX_TEXT + " characters");
            }
            attributes.put(xml.getAttributeLocalName(i), value);
        }
        return attributes;
    }

    private RevManReview.Analysis complete(PendingAnalysis a) {
        Map<String, String> at = a.attributes;
        RevManReview.DataType type = switch (a.element) {
            case "DICH_OUTCOME" -> RevManReview.DataType.DICHOTOMOUS;
            case "CONT_OUTCOME" -> RevManReview.DataType.CONTINUOUS;
            case "IV_OUTCOME" -> RevManReview.DataType.GENERIC_INVERSE_VARIANCE;
            default -> RevManReview.DataType.O_E_AND_VARIANCE;
        };
        String measure = at.getOrDefault("EFFECT_MEASURE", a.texts.get("EFFECT_MEASURE"));
        String method = at.get("METHOD");
        String logData = at.get("LOG_DATA");
        List<RevManReview.Row> rows = a.rows.stream().map(this::row).toList();
        return new RevManReview.Analysis(a.comparisonNo, integer(at.get("NO"), 0), a.comparisonName, a.texts.get("NAME"), type,
                measure, method == null ? "IV" : method, "YES".equals(at.get("RANDOM")),
                number(at.get("CI_TOTAL")) == null ? 0.95 : number(at.get("CI_TOTAL")) / 100,
                "YES".equals(at.get("SWAP_EVENTS")), // meta's read.rm5: LOG_DATA="YES" means the stored EFFECT_SIZE is the ratio itself
                logData == null ? null : "YES".equals(logData),
                a.texts.get("GROUP_LABEL_1"), a.texts.get("GROUP_LABEL_2"), a.texts.get("GRAPH_LABEL_1"), a.texts.get("GRAPH_LABEL_2"),
                new RevManReview.PooledResult(number(at.get("EFFECT_SIZE")), number(at.get("CI_START")), number(at.get("CI_END")),
                        number(at.get("TAU2")), number(at.get("I2")), number(at.get("Z")), number(at.get("P_Z"))),
                rows);
    }

    private RevManReview.Row row(PendingRow r) {
        Map<String, String> at = r.attributes;
        String id = at.get("STUDY_ID");
        String[] study = studies.get(id);
        String label = study != null && study[0] != null && !study[0].isBlank() ? study[0].strip() : labelFromId(id);
        Integer year = study == null ? null : integer(study[1], null);
        return new RevManReview.Row(label, year, r.subgroup, number(at.get("EVENTS_1")), number(at.get("TOTAL_1")),
                number(at.get("EVENTS_2")), number(at.get("TOTAL_2")), number(at.get("MEAN_1")), number(at.get("SD_1")),
                number(at.get("MEAN_2")), number(at.get("SD_2")), number(at.get("EFFECT_SIZE")), number(at.get("SE")),
                number(at.get("CI_START")), number(at.get("CI_END")));
    }

    /** RevMan ids are "STD-" and the name with XML-escaped characters ("STD-ISIS_x002d_2" for "ISIS-2"). */
    static String labelFromId(String id) {
        if (id == null) {
            return null;
        }
        String name = id.startsWith("STD-") ? id.substring(4) : id;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("_x([0-9a-fA-F]{4})_").matcher(name);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString().replace('_', ' ').strip();
    }

    static Double number(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.strip().replace(",", ""));
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Integer integer(String value, Integer fallback) {
        Double d = number(value);
        return d == null || d != Math.rint(d) || Math.abs(d) > 1e6 ? fallback : d.intValue();
    }

    private static void close(XMLStreamReader xml) {
        if (xml != null) {
            try {
                xml.close();
            } catch (XMLStreamException ignored) {
                // nothing more to read from it
            }
        }
    }

    private static final class PendingAnalysis {
        final String element;
        final int comparisonNo;
        final String comparisonName;
        final Map<String, String> attributes;
        final Map<String, String> texts = new HashMap<>();
        final List<PendingRow> rows = new ArrayList<>();

        PendingAnalysis(String element, int comparisonNo, String comparisonName, Map<String, String> attributes) {
            this.element = element;
            this.comparisonNo = comparisonNo;
            this.comparisonName = comparisonName;
            this.attributes = attributes;
        }
    }

    private record PendingRow(String subgroup, Map<String, String> attributes) {
    }
}
