package org.livingevidence.study.revman;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.livingevidence.contracts.events.EffectMeasure;

/**
 * The analyses of a RevMan 5 review, read from its {@code .rm5} file or its "Data and analyses" CSV export: what a
 * curator can turn into living questions. Only the analysis data are kept; the review's text is skipped.
 *
 * @param title    the review's title, or null
 * @param analyses in file order, each numbered as RevMan numbers them ("1.2": comparison 1, outcome 2)
 */
public record RevManReview(String title, List<Analysis> analyses) {

    /** More analyses than any published review holds; one upload makes at most this many questions. */
    public static final int MAX_ANALYSES = 500;
    /** Included studies a review file may list. */
    public static final int MAX_STUDIES = 10_000;

    public RevManReview {
        analyses = List.copyOf(analyses);
    }

    /** RevMan's data types; O-E and variance (IPD) data are listed but cannot be imported. */
    public enum DataType { DICHOTOMOUS, CONTINUOUS, GENERIC_INVERSE_VARIANCE, O_E_AND_VARIANCE }

    /**
     * One outcome of one comparison with its study rows, RevMan's settings and RevMan's own pooled result.
     *
     * @param effectMeasure as RevMan names it ("RR", "PETO_OR", "Hazard Ratio", ...)
     * @param method        RevMan's pooling method: MH, IV or PETO
     * @param random        RevMan's model: random effects (DerSimonian-Laird) or fixed effect
     * @param ciLevel       the level of the pooled interval, e.g. 0.95
     * @param swapEvents    RevMan analyses non-events instead of events
     * @param naturalScale  generic inverse variance only: whether the rows' effects are on the natural scale (a ratio
     *                      rather than its log), as meta's {@code read.rm5} reads the file's flags; null when the
     *                      file does not say
     * @param revman        the pooled result RevMan stored, or null when the file holds none
     */
    public record Analysis(int comparisonNo, int outcomeNo, String comparisonName, String name, DataType dataType,
                           String effectMeasure, String method, boolean random, double ciLevel, boolean swapEvents,
                           Boolean naturalScale, String groupLabel1, String groupLabel2, String leftGraphLabel,
                           String rightGraphLabel, PooledResult revman, List<Row> rows) {

        public Analysis {
            rows = List.copyOf(rows);
        }

        /** RevMan's number of the analysis, "1.2". */
        public String number() {
            return comparisonNo + "." + outcomeNo;
        }

        /** The measure a living question pools these data in, if there is one. */
        public Optional<EffectMeasure> measure() {
            String m = effectMeasure == null ? "" : effectMeasure.strip().toUpperCase(Locale.ROOT).replace('.', ' ');
            return Optional.ofNullable(switch (m) {
                case "OR", "PETO_OR", "ODDS RATIO", "PETO ODDS RATIO" -> EffectMeasure.OR;
                case "RR", "RISK RATIO" -> EffectMeasure.RR;
                case "RD", "RISK DIFFERENCE" -> EffectMeasure.RD;
                case "MD", "MEAN DIFFERENCE" -> EffectMeasure.MD;
                case "SMD", "STD  MEAN DIFFERENCE", "STANDARDIZED MEAN DIFFERENCE", "STANDARDISED MEAN DIFFERENCE" -> EffectMeasure.SMD;
                case "HR", "HAZARD RATIO" -> EffectMeasure.HR;
                default -> null;
            });
        }
    }

    /** RevMan's pooled result for an analysis, on the natural scale. */
    public record PooledResult(Double effect, Double ciStart, Double ciEnd, Double tau2, Double iSquared, Double z,
                               Double pValue) {
    }

    /**
     * One study's data in an analysis, as RevMan holds them; a figure is null when the file does not give it.
     *
     * @param subgroup the RevMan subgroup the row is in, or null
     * @param effect   generic inverse variance: the effect (see {@link Analysis#naturalScale()} for its scale)
     * @param se       generic inverse variance: its standard error on the analysis scale
     */
    public record Row(String studyLabel, Integer year, String subgroup, Double events1, Double total1, Double events2,
                      Double total2, Double mean1, Double sd1, Double mean2, Double sd2, Double effect, Double se,
                      Double ciStart, Double ciEnd) {
    }
}
