package org.livingevidence.notify.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.notify.PublicLinks;
import org.livingevidence.notify.alerts.AlertText;

/**
 * An alert as an email a clinician can read at a glance: the question, what changed and why (the summary), the
 * estimate now, just before and the baseline it is judged against (each with its interval's level, p, significance
 * and direction in words), the certainty with its reasons, and links to the version and the forest plots of both
 * versions. HTML with inline styles in one 600-pixel column
 * (email clients drop style sheets and narrow it on phones), the forest plots of both versions as PNG images with alt
 * text (readable with images blocked); the same content as plain text.
 */
final class AlertEmail {

    /** analysis-service draws a forest plot as PNG for up to this many studies (PngPlot.MAX_STUDIES there). */
    static final int MAX_PLOTTED_STUDIES = 150;
    private static final String FONT = "font-family:Helvetica,Arial,sans-serif;";
    private static final String CELL = "padding:6px 8px;border-bottom:1px solid #dde3ea;vertical-align:top;";

    private final Alert alert;
    private final Alert.Data data;
    private final PublicLinks links;
    private final String unsubscribe;
    private final Arms arms;

    /**
     * What the question compares, named as its PICO names them, so a direction reads "favours dapagliflozin". A name
     * that is missing, blank or longer than {@link #MAX_NAME} characters (a PICO element can be a sentence) reads as
     * "the intervention" or "the comparator".
     */
    record Arms(String intervention, String comparator) {

        static final int MAX_NAME = 60;
        static final Arms UNNAMED = new Arms(null, null);

        String favours(Conclusion.Direction direction) {
            return switch (direction) {
                case FAVOURS_INTERVENTION -> "favours " + name(intervention, "the intervention");
                case FAVOURS_COMPARATOR -> "favours " + name(comparator, "the comparator");
                case NO_DIFFERENCE -> "no difference";
            };
        }

        private static String name(String given, String otherwise) {
            if (given == null || given.isBlank()) {
                return otherwise;
            }
            String name = given.strip();
            return name.codePointCount(0, name.length()) > MAX_NAME ? otherwise : name;
        }
    }

    AlertEmail(Alert alert, PublicLinks links, String unsubscribe) {
        this(alert, links, unsubscribe, Arms.UNNAMED);
    }

    AlertEmail(Alert alert, PublicLinks links, String unsubscribe, Arms arms) {
        this.alert = alert;
        this.data = alert.data();
        this.links = links;
        this.unsubscribe = unsubscribe;
        this.arms = arms == null ? Arms.UNNAMED : arms;
    }

    /** One row of the estimates table: a label and a conclusion (null rows are left out). */
    private record Row(String label, Conclusion conclusion) {
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Now (estimate version " + data.estimateVersion() + ")", data.current()));
        if (data.before() != null) {
            rows.add(new Row("Just before", data.before()));
        }
        if (data.previous() != null && (data.before() == null || !data.before().readsAs(data.previous()))) {
            // What the alert is judged against: the conclusion at the last shift (or the first estimate) for a shift,
            // the subscription's baseline for a move of the estimate. Not necessarily anything this reader was sent.
            rows.add(new Row(Alert.CONCLUSION_SHIFTED.equals(alert.type()) ? "At the last shift (or first estimate)"
                    : "Baseline the move is measured from", data.previous()));
        }
        return rows;
    }

    String html() {
        StringBuilder html = new StringBuilder()
                .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(AlertText.question(alert))).append("</title></head>")
                .append("<body style=\"margin:0;padding:0;background:#f4f6f8;").append(FONT).append("\">")
                .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f4f6f8;\"><tr><td align=\"center\" style=\"padding:16px 8px;\">")
                .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;background:#ffffff;border-radius:6px;\">")
                .append("<tr><td style=\"padding:20px 24px 8px 24px;\">")
                .append("<p style=\"margin:0;color:#52606d;font-size:13px;text-transform:uppercase;letter-spacing:0.04em;\">Evidence update: ")
                .append(escape(AlertText.kinds(alert))).append("</p>")
                .append("<h1 style=\"margin:6px 0 12px 0;font-size:20px;line-height:1.3;color:#102a43;\">")
                .append(escape(AlertText.question(alert))).append("</h1>")
                .append("<p style=\"margin:0 0 16px 0;font-size:15px;line-height:1.5;color:#243b53;\">")
                .append(escape(data.summary())).append("</p>");
        html.append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;font-size:14px;color:#102a43;\">")
                .append("<tr><th align=\"left\" style=\"").append(CELL).append("\">Pooled estimate</th>")
                .append("<th align=\"left\" style=\"").append(CELL).append("\">Result</th></tr>");
        for (Row row : rows()) {
            html.append("<tr><td style=\"").append(CELL).append("\">").append(escape(row.label())).append("</td><td style=\"")
                    .append(CELL).append("\">").append(escape(result(row.conclusion(), arms))).append("</td></tr>");
        }
        html.append("</table>");
        Conclusion.Certainty certainty = data.current().certainty();
        if (certainty != null) {
            html.append("<p style=\"margin:16px 0 0 0;font-size:14px;color:#243b53;\"><strong>Certainty of the evidence: ")
                    .append(escape(level(certainty.level()))).append("</strong>");
            if (!certainty.reasons().isEmpty()) {
                html.append(" (").append(escape(String.join("; ", certainty.reasons()))).append(')');
            }
            html.append("</p>");
        }
        plots(html);
        html.append("<p style=\"margin:20px 0 8px 0;font-size:14px;\">");
        for (String[] link : links()) {
            html.append("<a href=\"").append(escape(link[1])).append("\" style=\"display:inline-block;margin:0 12px 8px 0;color:#0b5cad;\">")
                    .append(escape(link[0])).append("</a>");
        }
        return html.append("</p></td></tr><tr><td style=\"padding:12px 24px 20px 24px;border-top:1px solid #dde3ea;font-size:12px;color:#52606d;\">")
                .append("You receive this because you subscribed to this question. <a href=\"").append(escape(unsubscribe))
                .append("\" style=\"color:#52606d;\">Unsubscribe</a></td></tr></table></td></tr></table></body></html>")
                .toString();
    }

    /**
     * The forest plots of this version and the one before as PNG images (most mail clients show no SVG), each with
     * alt text that says what it shows, so a client that blocks images still reads. Left out for more studies than
     * analysis-service rasterises ({@link #MAX_PLOTTED_STUDIES}); the links to the SVG plots stay.
     */
    private void plots(StringBuilder html) {
        if (data.current().k() > MAX_PLOTTED_STUDIES) {
            return;
        }
        plot(html, "Forest plot now (version " + data.estimateVersion() + ")", links.forestPlotPng(data.questionId(), data.estimateVersion()));
        if (data.before() != null && data.estimateVersion() > 1 && data.before().k() <= MAX_PLOTTED_STUDIES) {
            plot(html, "Forest plot just before (version " + (data.estimateVersion() - 1) + ")",
                    links.forestPlotPng(data.questionId(), data.estimateVersion() - 1));
        }
    }

    private static void plot(StringBuilder html, String caption, String url) {
        html.append("<p style=\"margin:20px 0 4px 0;font-size:13px;color:#52606d;\">").append(escape(caption)).append("</p>")
                .append("<img src=\"").append(escape(url)).append("\" width=\"552\" alt=\"").append(escape(caption))
                .append("\" style=\"display:block;width:100%;max-width:552px;height:auto;border:1px solid #dde3ea;\">");
    }

    String text() {
        StringBuilder text = new StringBuilder()
                .append(AlertText.question(alert)).append("\n\n")
                .append(data.summary()).append("\n\n");
        for (Row row : rows()) {
            text.append(row.label()).append(": ").append(result(row.conclusion(), arms)).append('\n');
        }
        Conclusion.Certainty certainty = data.current().certainty();
        if (certainty != null) {
            text.append("Certainty of the evidence: ").append(level(certainty.level()));
            if (!certainty.reasons().isEmpty()) {
                text.append(" (").append(String.join("; ", certainty.reasons())).append(')');
            }
            text.append('\n');
        }
        text.append('\n');
        for (String[] link : links()) {
            text.append(link[0]).append(": ").append(link[1]).append('\n');
        }
        return text.append("\nYou receive this because you subscribed to this question.\nUnsubscribe: ").append(unsubscribe).append('\n').toString();
    }

    /** "0.75, 95% CI 0.60 to 0.95, p = 0.016: significant, favours the intervention (k = 2)". */
    static String result(Conclusion c) {
        return result(c, Arms.UNNAMED);
    }

    static String result(Conclusion c, Arms arms) {
        return String.format(Locale.ROOT, "%.2f, %s%% CI %.2f to %.2f, p %s: %s, %s (k = %d)", c.estimate(),
                percent(1 - c.alpha()), c.ciLower(), c.ciUpper(), p(c.pValue(), c.alpha()),
                c.significant() ? "significant" : "not significant", arms.favours(c.direction()), c.k());
    }

    private List<String[]> links() {
        List<String[]> list = new ArrayList<>();
        // People read pages, not JSON: where the deployment runs the console, its pages come first.
        String consoleVersion = links.consoleVersion(data.questionId(), data.estimateVersion());
        if (consoleVersion != null) {
            list.add(new String[] {"This version in the console", consoleVersion});
            list.add(new String[] {"The question in the console (live)", links.consolePage(data.questionId())});
        }
        list.add(new String[] {"This estimate version", links.estimateVersion(data.questionId(), data.estimateVersion())});
        list.add(new String[] {"Forest plot now", links.forestPlot(data.questionId(), data.estimateVersion())});
        if (data.estimateVersion() > 1) {
            list.add(new String[] {"Forest plot just before", links.forestPlot(data.questionId(), data.estimateVersion() - 1)});
        }
        list.add(new String[] {"Estimate over time", links.historyPlot(data.questionId())});
        if (data.links().record() != null) {
            list.add(new String[] {"Record that caused it", data.links().record()});
        }
        list.add(new String[] {"Every change (Atom feed)", data.links().history()});
        return list;
    }


    private static String level(Conclusion.Certainty.Level level) {
        return switch (level) {
            case HIGH -> "high";
            case MODERATE -> "moderate";
            case LOW -> "low";
            case VERY_LOW -> "very low";
        };
    }

    /** As the summary states p: never rounded onto alpha or above it. */
    private static String p(double p, double alpha) {
        if (p < 0.001) {
            return "< 0.001";
        }
        String rounded = String.format(Locale.ROOT, p < 0.01 ? "%.3f" : "%.2g", p);
        return "= " + (p < alpha && Double.parseDouble(rounded) >= alpha ? String.format(Locale.ROOT, "%.4f", p) : rounded);
    }

    private static String percent(double level) {
        double percent = level * 100;
        return percent == Math.rint(percent) ? Long.toString(Math.round(percent)) : String.format(Locale.ROOT, "%.1f", percent);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
