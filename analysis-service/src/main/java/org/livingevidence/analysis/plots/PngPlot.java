package org.livingevidence.analysis.plots;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import org.apache.batik.transcoder.TranscoderException;
import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.batik.transcoder.image.PNGTranscoder;

/**
 * A plot as a PNG, for the places that show no SVG (most email clients): the same SVG the API serves, rasterised
 * by Apache Batik at twice its width, so it stays sharp at its own size on high-density screens. Only plots of
 * bounded height are rasterised (see {@link #MAX_STUDIES}): a forest plot of thousands of studies would be an image
 * of hundreds of megabytes.
 */
public final class PngPlot {

    /** Forest plots of more studies are served as SVG only. */
    public static final int MAX_STUDIES = 150;
    private static final float SCALE = 2f;

    private PngPlot() {
    }

    public static byte[] of(String svg) {
        PNGTranscoder transcoder = new PNGTranscoder();
        transcoder.addTranscodingHint(PNGTranscoder.KEY_WIDTH, SCALE * widthOf(svg));
        // Nothing outside the document is ever loaded (our SVG references nothing, but a label is text we did not write).
        transcoder.addTranscodingHint(PNGTranscoder.KEY_ALLOW_EXTERNAL_RESOURCES, Boolean.FALSE);
        transcoder.addTranscodingHint(PNGTranscoder.KEY_EXECUTE_ONLOAD, Boolean.FALSE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            transcoder.transcode(new TranscoderInput(new StringReader(svg)), new TranscoderOutput(png));
        } catch (TranscoderException e) {
            throw new IllegalStateException("could not rasterise a plot the engine drew: " + e.getMessage(), e);
        }
        return png.toByteArray();
    }

    private static float widthOf(String svg) {
        int at = svg.indexOf(" width=\"");
        int end = at < 0 ? -1 : svg.indexOf('"', at + 8);
        return end < 0 ? 800f : Float.parseFloat(svg.substring(at + 8, end));
    }
}
