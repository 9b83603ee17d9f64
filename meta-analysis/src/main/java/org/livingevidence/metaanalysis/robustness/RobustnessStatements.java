package org.livingevidence.metaanalysis.robustness;

import java.util.Locale;

/** The robustness figures in words, as alerts and summaries of findings state them. */
public final class RobustnessStatements {

    private RobustnessStatements() {
    }

    /**
     * "A new study showing HR 1.00 with a standard error of the log HR below 0.089 (about 505 events) would make this
     * non-significant."
     *
     * @param measureLabel  "HR", "RR", ..., or "proportion"
     * @param scale         the scale the standard error is on, in words ("the log HR"), or null for the measure itself
     * @param naturalEffect the new study's effect on the natural scale
     * @param size          events or participants for that standard error, or null
     * @param model         the model in words ("this random-effects model"), for the claims that hold only under it
     */
    public static String newStudy(String measureLabel, String scale, NewStudyThreshold.Result r, double naturalEffect,
                                  NewStudySize.Size size, String model) {
        String outcome = r.change() == NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT ? "non-significant" : "significant";
        String effect = String.format(Locale.ROOT, "%s %.2f", measureLabel, naturalEffect);
        if (r.anyStandardError()) {
            return "A new study showing " + effect + ", however small, would make this " + outcome + " under " + model + ".";
        }
        if (r.maxStandardError() == null) {
            return r.someStandardErrors()
                    ? "Some new studies showing " + effect + " would make this " + outcome + " under " + model
                    + " and others would not, depending on their size; the most precise would not."
                    : "No single new study showing " + effect + ", however large, would make this " + outcome + " under " + model + ".";
        }
        StringBuilder s = new StringBuilder("A new study showing ").append(effect).append(" with a standard error")
                .append(scale == null ? "" : " of " + scale).append(" below ").append(roundedDown(r.maxStandardError()));
        if (size != null && (size.events() != null || size.participants() != null)) {
            s.append(" (about ");
            if (size.participants() != null) {
                s.append(count(size.participants())).append(" participants");
                if (size.events() != null) {
                    s.append(" with ").append(count(size.events())).append(" events");
                }
            } else {
                s.append(count(size.events())).append(" events");
            }
            s.append(')');
        }
        return s.append(" would make this ").append(outcome).append('.').toString();
    }

    /**
     * "The result would become non-significant if 4 of the 1,553 participants (0.26%) had had the other outcome
     * (fragility index 4)."
     */
    public static String fragility(FragilityIndex.Result f, int maxChanges) {
        String outcome = f.becomesSignificant() ? "significant" : "non-significant";
        if (f.index() == null) {
            return String.format(Locale.ROOT, "%d changes of outcome among the %s participants, chosen one at a time as the procedure "
                    + "does, did not make this %s (fragility index above %d).", maxChanges, count(f.participants()), outcome, maxChanges);
        }
        return String.format(Locale.ROOT, "The result would become %s if %d of the %s participants (%s) had had the other outcome "
                + "(fragility index %d).", outcome, f.index(), count(f.participants()), percentOf(f.quotient()), f.index());
    }

    private static String percentOf(double quotient) {
        double percent = 100 * quotient;
        return String.format(Locale.ROOT, percent >= 1 ? "%.1f%%" : "%.2g%%", percent);
    }

    /** "At a baseline risk of 200 per 1,000 over 5 years: 38 fewer per 1,000 (from 62 fewer to 10 fewer)." */
    public static String absoluteEffect(AbsoluteEffects.AbsoluteEffect e, String timeFrame) {
        return String.format(Locale.ROOT, "At a baseline risk of %,d per 1,000 over %s: %s per 1,000 (from %s to %s).",
                Math.round(e.comparatorPer1000()), timeFrame, difference(e.differencePer1000()), difference(e.differenceLowerPer1000()),
                difference(e.differenceUpperPer1000()));
    }

    private static String difference(double perThousand) {
        long rounded = Math.round(perThousand);
        return rounded == 0 ? "no difference" : Math.abs(rounded) + (rounded < 0 ? " fewer" : " more");
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(Math.ceil(value)));
    }

    /** Two significant digits, rounded down: "below 0.16" must not promise more than the threshold. */
    private static String roundedDown(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(2, java.math.RoundingMode.FLOOR))
                .stripTrailingZeros().toPlainString();
    }

}
