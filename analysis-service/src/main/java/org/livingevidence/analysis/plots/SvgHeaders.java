package org.livingevidence.analysis.plots;

/**
 * The headers every plot is served with: an SVG opened on its own from the API's origin must not run anything or be
 * read as another type (the plots contain no script; these keep it so whatever a label says).
 */
public final class SvgHeaders {

    public static final String CONTENT_TYPE = "image/svg+xml; charset=utf-8";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
    public static final String NO_SNIFF = "nosniff";

    private SvgHeaders() {
    }
}
