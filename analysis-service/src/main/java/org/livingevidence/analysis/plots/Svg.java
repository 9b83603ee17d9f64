package org.livingevidence.analysis.plots;

import java.util.Locale;

/**
 * A small SVG writer: elements with attributes, escaped text, and numbers written the same way on every machine
 * (two decimals, no locale), so that the same input always gives the same bytes.
 */
final class Svg {

    private final StringBuilder out = new StringBuilder();

    Svg(double width, double height, String title, String description) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"title desc\" width=\"").append(n(width))
                .append("\" height=\"").append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ').append(n(height))
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
                .append("<title id=\"title\">").append(escape(title)).append("</title>\n")
                .append("<desc id=\"desc\">").append(escape(description)).append("</desc>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double width, String dash) {
        out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2)).append("\" y2=\"")
                .append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(width)).append('"');
        if (dash != null) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append("/>\n");
        return this;
    }

    Svg rect(double x, double y, double width, double height, String fill) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(width))
                .append("\" height=\"").append(n(height)).append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    Svg polygon(String fill, double... xy) {
        out.append("<polygon points=\"");
        for (int i = 0; i < xy.length; i += 2) {
            out.append(i == 0 ? "" : " ").append(n(xy[i])).append(',').append(n(xy[i + 1]));
        }
        out.append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    Svg circle(double cx, double cy, double r, String fill, String stroke) {
        out.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke).append("\"/>\n");
        return this;
    }

    /** Starts a group whose drawing is cut to a rectangle (ended by {@link #endClip}). */
    Svg clip(String id, double x, double y, double width, double height) {
        out.append("<clipPath id=\"").append(escape(id)).append("\"><rect x=\"").append(n(x)).append("\" y=\"").append(n(y))
                .append("\" width=\"").append(n(width)).append("\" height=\"").append(n(height)).append("\"/></clipPath>\n")
                .append("<g clip-path=\"url(#").append(escape(id)).append(")\">\n");
        return this;
    }

    Svg endClip() {
        out.append("</g>\n");
        return this;
    }

    /** @param anchor {@code start}, {@code middle} or {@code end} */
    Svg text(double x, double y, String text, String anchor, String weight) {
        out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append('"');
        if (!"start".equals(anchor)) {
            out.append(" text-anchor=\"").append(anchor).append('"');
        }
        if (weight != null) {
            out.append(" font-weight=\"").append(weight).append('"');
        }
        out.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    String end() {
        return out.append("</svg>\n").toString();
    }

    static String n(double value) {
        String s = String.format(Locale.ROOT, "%.2f", value);
        // "-0.00" and "0.00" are the same coordinate: one spelling, so output does not depend on rounding's sign.
        return s.equals("-0.00") ? "0.00" : s;
    }

    /** XML text and attribute escaping; characters XML 1.0 forbids are dropped. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (!(c >= 0xFFFE) && !(Character.isSurrogate(c) && !validSurrogate(text, i))) {
                            s.append(c);
                        }
                    }
                }
            }
        }
        return s.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
