package org.livingevidence.contracts.events;

/**
 * What the pooled estimate of a question says, under the question's model and alpha.
 *
 * @param direction    which arm the point estimate favours
 * @param significant  whether the (1 - alpha) confidence interval excludes the null value
 * @param statement    one sentence for people
 * @param mid          the interval against the question's minimal important difference (null in older events)
 * @param sequential   trial sequential analysis status, null when the question plans none
 * @param certainty    automatic certainty rating (null in older events)
 */
public record Conclusion(
        Direction direction,
        boolean significant,
        AnalysisSettings.Model model,
        double alpha,
        int k,
        double estimate,
        double ciLower,
        double ciUpper,
        double pValue,
        String statement,
        MidStatus mid,
        SequentialStatus sequential,
        Certainty certainty) {

    /**
     * Whether this reads as {@code other} where an alert names both (the same k, estimate, interval, significance and
     * direction): then a summary or an email names it once.
     */
    public boolean readsAs(Conclusion other) {
        return k == other.k && estimate == other.estimate && ciLower == other.ciLower && ciUpper == other.ciUpper
                && significant == other.significant && direction == other.direction;
    }

    /** GRADE-style level with the reason for each downgrade. */
    public record Certainty(Level level, java.util.List<String> reasons) {

        public enum Level { HIGH, MODERATE, LOW, VERY_LOW }
    }

    public enum Direction { FAVOURS_INTERVENTION, FAVOURS_COMPARATOR, NO_DIFFERENCE }

    public enum MidStatus { NOT_SET, IMPORTANT_BENEFIT, INCONCLUSIVE, NO_IMPORTANT_BENEFIT }

    public enum SequentialStatus { FIRM_EVIDENCE_OF_EFFECT, FIRM_EVIDENCE_AGAINST_ANTICIPATED_EFFECT, NOT_YET_CONCLUSIVE }
}
