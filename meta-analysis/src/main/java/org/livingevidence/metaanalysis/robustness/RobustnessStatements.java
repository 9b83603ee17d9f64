package org.livingevidence.metaanalysis.robustness;

import java.util.Locale;
import org.livingevidence.metaanalysis.conclusions.MidStatus;

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
        return newStudy(labelled(measureLabel, naturalEffect), scale, r, size, model, "make this " + outcome);
    }

    /**
     * "A new study showing HR 0.80 (the minimal important difference) with a standard error of the log HR below 0.11
     * (about 330 events) would bring the interval onto the minimal important difference: an important benefit would no
     * longer be shown."
     *
     * @param naturalMid the minimal important difference on the natural scale
     * @param now        where the interval lies relative to it now
     */
    public static String newStudyForMid(String measureLabel, String scale, NewStudyForMid m, double naturalEffect,
                                        double naturalMid, MidStatus now, NewStudySize.Size size, String model) {
        String mid = labelled(measureLabel, naturalMid);
        String consequence = switch (m.becomes()) {
            case INCONCLUSIVE -> "bring the interval onto the minimal important difference (" + mid + "), so that an important benefit "
                    + (now == MidStatus.NO_IMPORTANT_BENEFIT ? "would no longer be ruled out" : "would no longer be shown");
            case IMPORTANT_BENEFIT -> "move the interval beyond the minimal important difference (" + mid + "), showing an important benefit";
            case NO_IMPORTANT_BENEFIT, NOT_SET -> "move the interval short of the minimal important difference (" + mid
                    + "), ruling out an important benefit";
        };
        String effect = labelled(measureLabel, naturalEffect)
                + (m.threshold().change() == NewStudyThreshold.Change.BECOMES_NON_SIGNIFICANT ? " (the minimal important difference)" : "");
        return newStudy(effect, scale, m.threshold(), size, model, consequence);
    }

    /** "HR 0.85", "RD 0.005": two decimals, or two significant digits below 0.1 so that a small value is not 0.00. */
    private static String labelled(String measureLabel, double value) {
        String number = value == 0 || Math.abs(value) >= 0.1 ? String.format(Locale.ROOT, "%.2f", value)
                : new java.math.BigDecimal(value).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
        return measureLabel + " " + number;
    }

    /** "A new study showing {effect} ... would {consequence}." in each of the threshold's cases. */
    private static String newStudy(String effect, String scale, NewStudyThreshold.Result r, NewStudySize.Size size, String model,
                                   String consequence) {
        if (r.anyStandardError()) {
            return "Under " + model + ", a new study showing " + effect + ", however small, would " + consequence + ".";
        }
        if (r.maxStandardError() == null) {
            return r.someStandardErrors()
                    ? "Under " + model + ", some new studies showing " + effect + " would " + consequence
                    + " and others would not, depending on their size; the most precise would not."
                    : "Under " + model + ", no single new study showing " + effect + ", however large, would " + consequence + ".";
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
        return s.append(" would ").append(consequence).append('.').toString();
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
        return absoluteEffect(e, timeFrame, null);
    }

    /**
     * "For all-cause mortality, at a baseline risk of 200 per 1,000 over 5 years: 38 fewer per 1,000 (from 62 fewer to
     * 10 fewer)."; per 10,000 or 100,000 for a rare outcome ({@link AbsoluteEffects#statedPer}).
     *
     * @param outcome the outcome the risks are of, or null
     */
    public static String absoluteEffect(AbsoluteEffects.AbsoluteEffect e, String timeFrame, String outcome) {
        int per = AbsoluteEffects.statedPer(e.comparatorPer1000() / 1000);
        double scale = per / 1000.0;
        String perWords = String.format(Locale.ROOT, "per %,d", per);
        String sentence = String.format(Locale.ROOT, "at a baseline risk of %,d %s over %s: %s %s (from %s to %s).",
                Math.round(e.comparatorPer1000() * scale), perWords, timeFrame, difference(e.differencePer1000() * scale), perWords,
                difference(e.differenceLowerPer1000() * scale), difference(e.differenceUpperPer1000() * scale));
        return outcome == null || outcome.isBlank() ? "A" + sentence.substring(1) : "For " + inSentence(outcome.strip()) + ", " + sentence;
    }

    /** "Overall survival" reads "overall survival" mid-sentence; "HbA1c" or "MACE" stays as it is. */
    private static String inSentence(String name) {
        int end = name.indexOf(' ');
        String first = end < 0 ? name : name.substring(0, end);
        boolean capitalisedWord = first.length() > 1 && Character.isUpperCase(first.charAt(0))
                && first.substring(1).chars().noneMatch(Character::isUpperCase);
        return capitalisedWord ? Character.toLowerCase(name.charAt(0)) + name.substring(1) : name;
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
