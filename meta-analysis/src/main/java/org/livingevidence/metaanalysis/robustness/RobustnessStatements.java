package org.livingevidence.metaanalysis.robustness;

import java.util.Locale;

/** The robustness figures in words, as alerts and summaries of findings state them. */
public final class RobustnessStatements {

    private RobustnessStatements() {
    }

    /**
     * "A new study showing HR 1.00 with a standard error below 0.090 (about 490 events) would make this
     * non-significant."
     *
     * @param measureLabel  "HR", "RR", ..., or "proportion"
     * @param naturalEffect the new study's effect on the natural scale
     * @param size          events or participants for that standard error, or null
     */
    public static String newStudy(String measureLabel, NewStudyThreshold.Result r, double naturalEffect, NewStudySize.Size size) {
        String outcome = r.change() == NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT ? "non-significant" : "significant";
        String study = String.format(Locale.ROOT, "a new study showing %s %.2f", measureLabel, naturalEffect);
        if (r.anyStandardError()) {
            return capitalised(study + ", however small, would make this " + outcome + ".");
        }
        if (r.maxStandardError() == null) {
            return capitalised("no single new study showing " + String.format(Locale.ROOT, "%s %.2f", measureLabel, naturalEffect)
                    + ", however large, would make this " + outcome + ".");
        }
        StringBuilder s = new StringBuilder(study).append(String.format(Locale.ROOT, " with a standard error below %s",
                significant(r.maxStandardError())));
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
        return capitalised(s.append(" would make this ").append(outcome).append('.').toString());
    }

    /**
     * "The result would become non-significant if 4 of the 1,553 participants (0.26%) had had the other outcome
     * (fragility index 4)."
     */
    public static String fragility(FragilityIndex.Result f, int maxChanges) {
        String outcome = f.becomesSignificant() ? "significant" : "non-significant";
        if (f.index() == null) {
            return String.format(Locale.ROOT, "More than %d of the %s participants would need the other outcome to make this %s "
                    + "(fragility index above %d).", maxChanges, count(f.participants()), outcome, maxChanges);
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

    private static String significant(double value) {
        return String.format(Locale.ROOT, value >= 0.1 ? "%.2f" : "%.2g", value);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
